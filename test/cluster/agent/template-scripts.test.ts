// The shipped templates' batch scripts, run on this machine as Slurm would run them (they need
// the Xvnc and tools test/cluster/up installs), with the FAKE
// apptainer and the FAKE Sunshine on PATH (test/fakes/; neither real one installs on Debian):
// the command lines it builds, the ports and credentials Sunshine gets, and no secret in any
// process's arguments or in the job's log.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildBatchScript } from '../../../agent/batch-script';
import { parseConnectionFile, parseSunshineCredentials } from '../../../agent/connection-file';
import { newSunshineCredentials, SESSION_FILES } from '../../../agent/session-files';
import { validateValues } from '../../../agent/template-values';
import { submitPin } from '../../../main/moonlight/sunshine-pin';
import { shippedJobLibrary, shippedTemplate } from '../../unit/agent/fixtures';

const fakes = fileURLToPath(new URL('../../fakes/', import.meta.url));
const moonlight = shippedTemplate('moonlight-desktop');
const running: ChildProcess[] = [];
after(() => running.forEach((job) => job.exitCode === null && job.kill('SIGTERM')));

/** A session folder, a home and a PATH with the fakes, as a node would give the job. */
function prepareJob(values: Record<string, unknown>, template = moonlight) {
  const root = mkdtempSync(join(tmpdir(), `porthole-${template.file.id}-job-`));
  const home = join(root, 'home');
  const sessionDir = join(home, '.porthole/sessions/20261124-000000-abcde');
  const bin = join(root, 'bin');
  mkdirSync(sessionDir, { recursive: true, mode: 0o700 });
  mkdirSync(bin);
  symlinkSync(join(fakes, 'fake-apptainer'), join(bin, 'apptainer'));
  symlinkSync(join(fakes, 'fake-sunshine.mjs'), join(bin, 'sunshine'));
  // The node's name and address: a stand-in so that the fake Sunshine stays on 127.0.0.1.
  writeFileSync(join(bin, 'hostname'), '#!/bin/sh\ncase "$1" in -I) echo 127.0.0.1 ;; *) echo testnode ;; esac\n');
  chmodSync(join(bin, 'hostname'), 0o755);
  const credentials = newSunshineCredentials();
  writeFileSync(join(sessionDir, SESSION_FILES.sunshineCredentials), credentials, { mode: 0o600 });
  writeFileSync(join(sessionDir, SESSION_FILES.password), 'test-vnc\n', { mode: 0o600 });
  const validated = validateValues(template.file, values, { partitions: ['cpu', 'gpu'], defaultPartition: 'cpu' });
  const script = buildBatchScript({ template: template.file, jobScript: template.jobScript, jobLibrary: shippedJobLibrary, values: validated, sessionId: '20261124-000000-abcde', sessionDir });
  writeFileSync(join(sessionDir, 'job.sh'), script, { mode: 0o700 });
  return { root, home, sessionDir, bin, script, secret: parseSunshineCredentials(credentials)!, record: join(root, 'apptainer-calls') };
}

function startJob(job: ReturnType<typeof prepareJob>): ChildProcess {
  const log = openSync(join(job.sessionDir, 'output.log'), 'a');
  const child = spawn('bash', [join(job.sessionDir, 'job.sh')], {
    cwd: job.sessionDir,
    env: { PATH: `${job.bin}:/usr/local/bin:/usr/bin:/bin`, HOME: job.home, FAKE_APPTAINER_RECORD: job.record },
    stdio: ['ignore', log, log],
  });
  running.push(child);
  return child;
}

async function waitForFile(file: string, job: ChildProcess, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (job.exitCode !== null || Date.now() > deadline) throw new Error(`${file} did not appear (job exit ${job.exitCode})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return readFileSync(file, 'utf8');
}

function stopJob(job: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    job.once('exit', () => resolve());
    job.kill('SIGTERM');
  });
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('moonlight-desktop batch script', () => {
  it('asks Slurm for a GPU and starts everything inside the image with --nv and its binds', async () => {
    const job = prepareJob({ partition: 'gpu', gpus: 1, runtime: 'apptainer' });
    assert.match(job.script, /^#SBATCH --partition=gpu$/m);
    assert.match(job.script, /^#SBATCH --gres=gpu:1$/m);
    const child = startJob(job);
    const connection = parseConnectionFile(await waitForFile(join(job.sessionDir, 'connection.json'), child), 'test');
    assert.equal(connection.kind, 'sunshine');
    if (connection.kind !== 'sunshine') return;
    assert.equal(connection.host, '127.0.0.1');
    assert.equal(connection.node, 'testnode');
    assert.ok(await answers(connection.portBase), 'Sunshine does not answer on its base port');

    const calls = readFileSync(job.record, 'utf8').trim().split('\n').map((line) => line.split('\x1f'));
    const stateDir = join(job.home, '.porthole/sunshine/testnode');
    const prefix = ['exec', '--nv', '--bind', job.sessionDir, '--bind', stateDir, '/opt/apptainers/desktop/desktop-gpu.sif'];
    for (const call of calls) assert.deepEqual(call.slice(0, prefix.length), prefix, `apptainer ${call.join(' ')}`);
    const sunshineCall = calls.find((call) => call[prefix.length] === 'sunshine');
    assert.deepEqual(sunshineCall?.slice(prefix.length), ['sunshine', join(job.sessionDir, 'sunshine.conf')]);
    assert.ok(calls.some((call) => /^X(vfb|vnc)$/.test(call[prefix.length])), 'no X server was started in the image');

    const conf = readFileSync(join(job.sessionDir, 'sunshine.conf'), 'utf8');
    assert.match(conf, new RegExp(`^port = ${connection.portBase}$`, 'm'));
    assert.match(conf, /^bind_address = 127\.0\.0\.1$/m);
    assert.match(conf, new RegExp(`^file_state = ${stateDir}/sunshine_state.json$`, 'm'));
    await stopJob(child);
  });

  it('gives Sunshine the session credentials in a 0600 file, and no secret to argv or the log', async () => {
    const job = prepareJob({ partition: 'gpu', runtime: 'native' });
    const child = startJob(job);
    const connection = parseConnectionFile(await waitForFile(join(job.sessionDir, 'connection.json'), child), 'test');
    assert.ok(connection.kind === 'sunshine');
    // Every process's arguments on this machine while the desktop runs.
    const argv = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
    assert.ok(argv.includes(join(job.sessionDir, 'sunshine.conf')), 'ps did not show the Sunshine started by the job');
    assert.ok(!argv.includes(job.secret.password), 'the Sunshine password is in a process argument');
    assert.ok(!existsSync(job.record), 'runtime native still went through apptainer');

    const stored = JSON.parse(readFileSync(join(job.sessionDir, 'sunshine-web-credentials.json'), 'utf8')) as { username: string; salt: string; password: string };
    assert.equal(statSync(join(job.sessionDir, 'sunshine-web-credentials.json')).mode & 0o777, 0o600);
    assert.equal(stored.username, job.secret.username);
    assert.equal(stored.password, createHash('sha256').update(job.secret.password + stored.salt).digest('hex').toUpperCase());
    assert.ok(!JSON.stringify(stored).includes(job.secret.password));

    // Sunshine's web UI takes the session's credentials and refuses others.
    const webUi = () => new Promise<Socket>((resolve, reject) => {
      const socket = connect(connection.portBase + 1, '127.0.0.1', () => resolve(socket));
      socket.once('error', reject);
    });
    const pin = { openStream: webUi, node: 'testnode', pin: '1234', clientName: 'test' };
    assert.equal(await submitPin({ ...pin, ...job.secret }), false, 'no pairing waits, so Sunshine should not take the PIN');
    await assert.rejects(submitPin({ ...pin, username: job.secret.username, password: 'wrong' }), /refused this session's web credentials \(HTTP 401\)/);

    await stopJob(child);
    const log = readFileSync(join(job.sessionDir, 'output.log'), 'utf8');
    assert.match(log, /Sunshine ready on 127\.0\.0\.1 port base \d+ of testnode/);
    assert.match(log, /\/dev\/uinput is missing or not writable on testnode: keyboard and mouse will not reach the desktop/);
    assert.ok(!log.includes(job.secret.password), 'the password is in the job log');
    assert.ok(!log.includes('1234'), 'the PIN is in the job log');
    assert.match(readFileSync(join(job.sessionDir, 'ended'), 'utf8'), /^143 /);
    assert.equal(await answers(connection.portBase), false, 'Sunshine outlived its job');
  });
});

describe('vnc-desktop batch script', () => {
  const desktop = shippedTemplate('vnc-desktop');

  async function apptainerCalls(values: Record<string, unknown>): Promise<string[][]> {
    const job = prepareJob({ runtime: 'apptainer', ...values }, desktop);
    const child = startJob(job);
    const connection = JSON.parse(await waitForFile(join(job.sessionDir, 'connection.json'), child)) as { kind: string; port: number };
    assert.equal(connection.kind, 'vnc');
    await stopJob(child);
    // The job's EXIT trap has sent Xvnc its TERM; give it a moment to close its port.
    const deadline = Date.now() + 5000;
    while ((await answers(connection.port)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await answers(connection.port), false, 'Xvnc outlived its job');
    return readFileSync(job.record, 'utf8').trim().split('\n').map((line) => line.split('\x1f'));
  }

  it('runs Xvnc and the window manager inside the image, with --nv only when GPUs are asked for', async () => {
    const withGpu = await apptainerCalls({ gpus: 1 });
    const image = '/opt/apptainers/desktop/desktop.sif';
    const xvnc = withGpu.find((call) => call.includes('Xvnc'));
    assert.ok(xvnc, 'Xvnc was not started through apptainer');
    assert.deepEqual(xvnc.slice(0, 2), ['exec', '--nv']);
    assert.equal(xvnc[xvnc.indexOf('Xvnc') - 1], image);
    assert.ok(xvnc.includes('-localhost'), 'Xvnc must listen on the loopback only');
    for (const call of await apptainerCalls({ gpus: 0 })) assert.ok(!call.includes('--nv'), `apptainer ${call.join(' ')}`);
  });
});
