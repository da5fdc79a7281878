// `down` leaves no process of the fixture running, and `up` brings the cluster back, or reuses
// or repairs a running one. It stops the cluster every other test shares, so test/run.mjs runs
// it alone, as its own last stage (`npm test -- lifecycle`), never with the cluster tests.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTestCluster, projectRoot, sshRun, tempDir, type TestCluster } from './fixture';
import { jobState, submit, waitForJobState } from './jobs';

interface FixtureProcess {
  pid: number;
  command: string;
}

/** Processes that belong to the fixture: its recorded daemons, anything in node01's mount
 *  namespace, anything run by the test users, anything whose command line names its state folder. */
function fixtureProcesses(recordedPids: number[], nodeMountNamespace: string, userIds: number[], stateDir: string): FixtureProcess[] {
  const found: FixtureProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (/^State:\s+Z/m.test(status)) continue;
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      const mountNamespace = readlinkSync(`/proc/${pid}/ns/mnt`);
      if (recordedPids.includes(pid) || mountNamespace === nodeMountNamespace || userIds.includes(uid) || command.includes(stateDir)) {
        found.push({ pid, command });
      }
    } catch {
      // The process ended while we looked: it is not running.
    }
  }
  return found;
}

/** Runs test/cluster/up or down of a checkout; its output is stdout and stderr together. */
function runScript(name: 'up' | 'down', checkout = projectRoot): { ms: number; output: string } {
  const started = performance.now();
  // The daemons `up` starts outlive this test: they must not inherit a TMPDIR that the test runner removes.
  const { TMPDIR: _runnersTmp, ...env } = process.env;
  const run = spawnSync('bash', [join(checkout, 'test/cluster', name)], { encoding: 'utf8', timeout: 300_000, env });
  const output = `${run.stdout}${run.stderr}`;
  assert.equal(run.status, 0, `test/cluster/${name} failed:\n${output}`);
  return { ms: performance.now() - started, output };
}

function isRunning(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function recordedPid(cluster: TestCluster, daemon: string): number {
  return Number(readFileSync(cluster.pidFiles[daemon], 'utf8').trim());
}

test('a second checkout finds the running cluster and reuses it', () => {
  const cluster = loadTestCluster();
  const checkout = tempDir('checkout');
  for (const part of ['up', 'down', 'lib']) {
    cpSync(join(projectRoot, 'test/cluster', part), join(checkout, 'test/cluster', part), { recursive: true });
  }
  const slurmctld = recordedPid(cluster, 'slurmctld');
  const second = runScript('up', checkout);
  assert.match(second.output, /reused/);
  const written = loadTestCluster(join(checkout, 'test/cluster/state/cluster.json'));
  assert.deepEqual(written.ssh, cluster.ssh);
  assert.equal(recordedPid(cluster, 'slurmctld'), slurmctld);
});

test('down stops every process of the fixture, and up brings the cluster back', { timeout: 600_000 }, async (t) => {
  const cluster = loadTestCluster();
  const recordedPids = Object.values(cluster.pidFiles)
    .filter((file) => existsSync(file))
    .map((file) => Number(readFileSync(file, 'utf8').trim()));
  assert.equal(recordedPids.length, Object.keys(cluster.pidFiles).length, 'every daemon should have a PID file before down');
  const holderPid = recordedPid(cluster, 'node01-ns');
  const nodeMountNamespace = readlinkSync(`/proc/${holderPid}/ns/mnt`);
  const userIds = [cluster.ssh.user, cluster.keyboardInteractive.user].map((user) =>
    Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim()),
  );

  await t.test('a job runs on node01 before down', async () => {
    // A job still running at `down` must not outlive it.
    const job = await submit(`--job-name=fixture-lifecycle --output=/dev/null --wrap 'sleep 300'`);
    await waitForJobState(job, ['RUNNING'], 10_000);
    assert.ok(fixtureProcesses(recordedPids, nodeMountNamespace, userIds, cluster.stateDir).length > recordedPids.length);
  });

  await t.test('down leaves no process, network namespace or hosts line of the fixture', () => {
    const down = runScript('down');
    t.diagnostic(`down took ${Math.round(down.ms)} ms`);
    assert.deepEqual(fixtureProcesses(recordedPids, nodeMountNamespace, userIds, cluster.stateDir), []);
    const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    assert.doesNotMatch(namespaces, new RegExp(`\\b${cluster.slurm.nodes[0].netns}\\b`));
    assert.doesNotMatch(readFileSync('/etc/hosts', 'utf8'), /porthole-test-cluster/);
  });

  await t.test('up brings node01 back and it runs a job', async () => {
    const up = runScript('up');
    t.diagnostic(`up after down took ${Math.round(up.ms)} ms`);
    const hostname = await sshRun('ssh node01 hostname');
    assert.equal(hostname.stdout.trim(), 'node01', hostname.stderr);
    const after = await submit(`--output=/dev/null --wrap true`);
    assert.equal(await waitForJobState(after, ['COMPLETED'], 15_000), 'COMPLETED');
  });

  await t.test('up with the cluster running reuses it', () => {
    const warm = runScript('up');
    t.diagnostic(`up with the cluster running took ${Math.round(warm.ms)} ms`);
    assert.match(warm.output, /reused/);
  });
});

test('up replaces a cluster one of whose daemons died', { timeout: 300_000 }, async () => {
  const cluster = loadTestCluster();
  const slurmd = recordedPid(cluster, 'slurmd');
  process.kill(slurmd, 'SIGKILL');
  while (isRunning(slurmd)) await new Promise((resolve) => setTimeout(resolve, 20));
  const replaced = runScript('up');
  assert.match(replaced.output, /stale/);
  assert.notEqual(recordedPid(cluster, 'slurmd'), slurmd);
  const job = await submit(`--output=/dev/null --wrap true`);
  assert.equal(await waitForJobState(job, ['COMPLETED'], 15_000), 'COMPLETED');
});

test('up ends the jobs a stopped slurmctld still counted as running, and node01 takes new ones', { timeout: 300_000 }, async () => {
  const cluster = loadTestCluster();
  const leftOver = await submit(`--job-name=fixture-left-over --output=/dev/null --wrap 'sleep 300'`);
  await waitForJobState(leftOver, ['RUNNING'], 10_000);
  // TERM: slurmctld saves its jobs and exits, so `down` cannot cancel them and the next
  // slurmctld reloads the job as running on a node whose processes are gone.
  const slurmctld = recordedPid(cluster, 'slurmctld');
  process.kill(slurmctld, 'SIGTERM');
  while (isRunning(slurmctld)) await new Promise((resolve) => setTimeout(resolve, 20));
  const replaced = runScript('up');
  assert.match(replaced.output, new RegExp(`cancelling 1 job\\(s\\) left by the previous cluster: ${leftOver}`));
  assert.notEqual(await jobState(leftOver), 'RUNNING');
  const job = await submit(`--output=/dev/null --wrap true`);
  assert.equal(await waitForJobState(job, ['COMPLETED'], 15_000), 'COMPLETED');
});
