// Slurm on the local test cluster: batch jobs run on node01 as the test user, the GPU
// partition exists with its fake gres, and the node takes 60 small jobs at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTestCluster, sshRun } from './fixture';
import { jobState, submit, waitForJobState } from './jobs';

test('sbatch --wrap through porthole-test runs a job on node01 that completes', async () => {
  const cluster = loadTestCluster();
  const job = await submit(`--job-name=fixture-sleep --output=/dev/null --wrap 'sleep 1'`);
  await waitForJobState(job, ['RUNNING', 'COMPLETED'], 10_000);
  const shown = await sshRun(`scontrol show job ${job}`);
  assert.match(shown.stdout, /NodeList=node01\b/);
  assert.match(shown.stdout, new RegExp(`UserId=${cluster.ssh.user}\\(`));
  assert.equal(await waitForJobState(job, ['COMPLETED'], 15_000), 'COMPLETED');
});

test('a job runs with the shared home, node on PATH and the host name node01', async () => {
  const cluster = loadTestCluster();
  const job = await submit(
    `--output='${cluster.ssh.home}/fixture-env-${process.pid}.out' --wrap 'hostname; echo "home=$HOME"; command -v node; echo "conf=$SLURM_CONF"; stat -c %a /tmp/.X11-unix'`,
  );
  await waitForJobState(job, ['COMPLETED'], 15_000);
  const printed = await sshRun(`cat ~/fixture-env-${process.pid}.out; rm -f ~/fixture-env-${process.pid}.out`);
  assert.deepEqual(printed.stdout.trim().split('\n'), [
    'node01',
    `home=${cluster.ssh.home}`,
    '/usr/bin/node',
    `conf=${cluster.slurm.conf}`,
    '1777',
  ]);
});

test('the gpu partition exists and offers a visibly fake GPU gres', async () => {
  const cluster = loadTestCluster();
  assert.deepEqual(cluster.slurm.partitions.map((p) => p.name).sort(), ['cpu', 'gpu']);
  const partitions = await sshRun(`sinfo -h -o '%P %G'`);
  assert.equal(partitions.code, 0, partitions.stderr);
  assert.match(partitions.stdout, /^cpu\* /m);
  assert.match(partitions.stdout, /^gpu gpu:fake:1/m);
  const job = await submit(`--partition=gpu --gres=gpu:1 --output=/dev/null --wrap true`);
  assert.equal(await waitForJobState(job, ['COMPLETED'], 15_000), 'COMPLETED');
});

test('node01 runs 60 small jobs at once', async () => {
  const array = await submit(`--array=1-60 --job-name=fixture-sixty --output=/dev/null --wrap 'sleep 20'`);
  try {
    const deadline = Date.now() + 15_000;
    let running = 0;
    while (Date.now() < deadline) {
      const listed = await sshRun(`squeue -h -j ${array} -t RUNNING -o %i | wc -l`);
      running = Number(listed.stdout.trim());
      if (running === 60) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(running, 60, 'all 60 array tasks should be RUNNING together');
  } finally {
    await sshRun(`scancel ${array}`);
  }
});

test('scancel ends an X server that the job script started as its child', async () => {
  const job = await submit(`--output=/dev/null --wrap 'Xvnc :77 -rfbport 5977 -localhost -SecurityTypes None & wait'`);
  await waitForJobState(job, ['RUNNING'], 10_000);
  // The X socket appears in node01's own /tmp, which the login side does not see.
  const socket = await pollUntil(
    async () => (await sshRun(`ssh node01 'test -S /tmp/.X11-unix/X77 && echo yes'`)).stdout.trim() === 'yes',
    10_000,
  );
  assert.ok(socket, 'Xvnc should make /tmp/.X11-unix/X77 on node01');
  assert.equal((await sshRun('test -e /tmp/.X11-unix/X77 && echo shared || echo private')).stdout.trim(), 'private');
  await sshRun(`scancel ${job}`);
  // This job's Xvnc only: other tests' desktops may share node01 meanwhile.
  const gone = await pollUntil(
    async () => (await sshRun(`ssh node01 'pgrep -u "$USER" -f "^Xvnc :77 " || true'`)).stdout.trim() === '',
    10_000,
  );
  assert.ok(gone, 'Xvnc should be gone after scancel');
  assert.notEqual(await jobState(job), 'RUNNING');
});

async function pollUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
