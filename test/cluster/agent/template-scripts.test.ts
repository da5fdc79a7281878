// The shipped templates' batch scripts, run on this machine as Slurm would run them (they need
// the Xvnc and tools test/cluster/up installs), with the FAKE
// apptainer and the FAKE Sunshine on PATH (test/fakes/; neither real one installs on Debian):
// the command lines it builds, the ports and credentials Sunshine gets, and no secret in any
// process's arguments or in the job's log.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, openSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildBatchScript, type VncListen } from '../../../agent/batch-script';
import { parseConnectionFile, parseSunshineCredentials } from '../../../agent/connection-file';
import { sunshineCertSha256 } from '../../../agent/sunshine-certificate';
import { newSunshineCredentials, SESSION_FILES } from '../../../agent/session-files';
import { validateValues } from '../../../agent/template-values';
import { sunshineWebApi } from '../../../main/moonlight/sunshine-web-api';
import { shippedJobLibrary, shippedTemplate } from '../../unit/agent/fixtures';
import { tempDir } from '../fixture';

const fakes = fileURLToPath(new URL('../../fakes/', import.meta.url));
const moonlight = shippedTemplate('moonlight-desktop');
const running: ChildProcess[] = [];
after(() => running.forEach((job) => job.exitCode === null && job.kill('SIGTERM')));

/** A session folder, a home and a PATH with the fakes, as a node would give the job. */
function prepareJob(values: Record<string, unknown>, template = moonlight, vncListen: VncListen = 'socket') {
  const root = tempDir(`${template.file.id}-job`);
  const home = join(root, 'home');
  const sessionDir = join(home, '.porthole/sessions/20261124-000000-abcde');
  const bin = join(root, 'bin');
  mkdirSync(sessionDir, { recursive: true, mode: 0o700 });
  mkdirSync(bin);
  symlinkSync(join(fakes, 'fake-apptainer'), join(bin, 'apptainer'));
  symlinkSync(join(fakes, 'fake-sunshine.mjs'), join(bin, 'sunshine'));
  symlinkSync(join(fakes, 'fake-vglrun'), join(bin, 'vglrun'));
  // The node's name and address: a stand-in so that the fake Sunshine stays on 127.0.0.1.
  writeFileSync(join(bin, 'hostname'), '#!/bin/sh\ncase "$1" in -I) echo 127.0.0.1 ;; *) echo testnode ;; esac\n');
  chmodSync(join(bin, 'hostname'), 0o755);
  const credentials = newSunshineCredentials();
  writeFileSync(join(sessionDir, SESSION_FILES.sunshineCredentials), credentials, { mode: 0o600 });
  writeFileSync(join(sessionDir, SESSION_FILES.password), 'test-vnc\n', { mode: 0o600 });
  const validated = validateValues(template.file, values, { partitions: ['cpu', 'gpu'], defaultPartition: 'cpu' });
  const script = buildBatchScript({
    template: template.file,
    jobScript: template.jobScript,
    jobLibrary: shippedJobLibrary,
    values: validated,
    sessionId: '20261124-000000-abcde',
    sessionDir,
    vncListen,
  });
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

    const calls = readFileSync(job.record, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('\x1f'));
    const stateDir = join(job.home, '.porthole/sunshine/testnode');
    const prefix = ['exec', '--nv', '--bind', job.sessionDir, '--bind', stateDir, '/opt/apptainers/desktop/desktop-gpu.sif'];
    for (const call of calls) assert.deepEqual(call.slice(0, prefix.length), prefix, `apptainer ${call.join(' ')}`);
    const sunshineCall = calls.find((call) => call[prefix.length] === 'sunshine');
    assert.deepEqual(sunshineCall?.slice(prefix.length), ['sunshine', join(job.sessionDir, 'sunshine.conf')]);
    const xServer = calls.find((call) => call.slice(prefix.length).some((word) => /^X(vfb|vnc)$/.test(word)));
    assert.ok(xServer, 'no X server was started in the image');
    assert.match(xServer[xServer.indexOf('-auth') + 1], /xauthority$/, 'the X server takes no cookie');

    const conf = readFileSync(join(job.sessionDir, 'sunshine.conf'), 'utf8');
    assert.match(conf, new RegExp(`^port = ${connection.portBase}$`, 'm'));
    assert.match(conf, /^origin_web_ui_allowed = pc$/m);
    assert.match(conf, /^lan_encryption_mode = 2$/m);
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

    const stored = JSON.parse(readFileSync(join(job.sessionDir, 'sunshine-web-credentials.json'), 'utf8')) as {
      username: string;
      salt: string;
      password: string;
    };
    assert.equal(statSync(join(job.sessionDir, 'sunshine-web-credentials.json')).mode & 0o777, 0o600);
    assert.equal(stored.username, job.secret.username);
    assert.equal(
      stored.password,
      createHash('sha256')
        .update(job.secret.password + stored.salt)
        .digest('hex')
        .toUpperCase(),
    );
    assert.ok(!JSON.stringify(stored).includes(job.secret.password));

    // Sunshine's web UI takes the session's credentials and refuses others.
    const webUi = () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect(connection.portBase + 1, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
    const certSha256 = sunshineCertSha256(readFileSync(join(job.sessionDir, 'sunshine.conf'), 'utf8'), 'test');
    const web = { openStream: webUi, node: 'testnode', certSha256 };
    assert.equal(
      await sunshineWebApi({ ...web, ...job.secret }).postPin('1234', 'test'),
      false,
      'no pairing waits, so Sunshine should not take the PIN',
    );
    await assert.rejects(
      sunshineWebApi({ ...web, username: job.secret.username, password: 'wrong' }).postPin('1234', 'test'),
      /refused this session's web credentials \(HTTP 401\)/,
    );

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

  /** Runs the desktop until it is ready, hands it to `look`, stops it; returns the apptainer calls. */
  async function runDesktop(
    values: Record<string, unknown>,
    look: (job: ReturnType<typeof prepareJob>, connection: Record<string, unknown>) => Promise<void> | void = () => undefined,
  ) {
    const job = prepareJob({ runtime: 'apptainer', ...values }, desktop);
    const child = startJob(job);
    const connection = JSON.parse(await waitForFile(join(job.sessionDir, 'connection.json'), child)) as Record<string, unknown>;
    assert.equal(connection.kind, 'vnc');
    try {
      await look(job, connection);
    } finally {
      await stopJob(child);
    }
    return {
      job,
      connection,
      calls: readFileSync(job.record, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split('\x1f')),
    };
  }

  it('runs Xvnc and the window manager inside the image, with --nv only when GPUs are asked for', async () => {
    const { calls: withGpu } = await runDesktop({ gpus: 1 });
    const image = '/opt/apptainers/desktop/desktop.sif';
    const xvnc = withGpu.find((call) => call.includes('Xvnc'));
    assert.ok(xvnc, 'Xvnc was not started through apptainer');
    assert.deepEqual(xvnc.slice(0, 2), ['exec', '--nv']);
    assert.deepEqual(xvnc.slice(xvnc.indexOf(image), xvnc.indexOf(image) + 2), [image, 'sh'], 'Xvnc is not started in the image');
    for (const call of (await runDesktop({ gpus: 0 })).calls) assert.ok(!call.includes('--nv'), `apptainer ${call.join(' ')}`);
  });

  it('starts the desktop and its terminal under vglrun (FAKE) when GPUs are asked for, and without it otherwise', async () => {
    const image = '/opt/apptainers/desktop/desktop.sif';
    // What runs in the image, after `apptainer exec [options] <image>`, once the desktop and its terminal were started.
    const programsRun = async (gpus: number) => {
      const { calls } = await runDesktop({ gpus }, async (job) => {
        const deadline = Date.now() + 10_000;
        while (!readFileSync(job.record, 'utf8').includes('\x1fxterm\x1f-geometry')) {
          assert.ok(Date.now() < deadline, `the desktop's terminal was not started:\n${readFileSync(job.record, 'utf8')}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      });
      return calls.map((call) => call.slice(call.indexOf(image) + 1)).filter((words) => words[0] !== 'sh');
    };
    const isDesktop = (words: string[]) => /^(startxfce4|icewm-session|icewm|twm)$/.test(words.at(-1)!);
    const isTerminal = (words: string[]) => words.includes('xterm');
    const withGpu = await programsRun(1);
    for (const started of [withGpu.find(isDesktop), withGpu.find(isTerminal)])
      assert.deepEqual(started?.slice(0, 4), ['vglrun', '-d', 'egl', started?.[3]], `ran without vglrun: ${started?.join(' ')}`);
    const withoutGpu = await programsRun(0);
    for (const started of [withoutGpu.find(isDesktop), withoutGpu.find(isTerminal)])
      assert.ok(started && started[0] !== 'vglrun', `ran as: ${started?.join(' ')}`);
  });

  it('serves VNC on a 0600 Unix socket in a private 0700 folder, with no TCP port, X cookie required', async () => {
    let folder = '';
    const { connection, calls } = await runDesktop({}, (job, connection) => {
      assert.equal(typeof connection.socket, 'string', JSON.stringify(connection));
      assert.equal(connection.port, undefined);
      const socket = connection.socket as string;
      folder = join(socket, '..');
      assert.equal(statSync(folder).mode & 0o777, 0o700, `${folder} is not 0700`);
      assert.equal(statSync(folder).uid, process.getuid!());
      assert.ok(statSync(socket).isSocket());
      assert.equal(statSync(socket).mode & 0o777, 0o600, `${socket} is not 0600`);
      // Xvnc of this job listens on no TCP port at all (it would show under its PID).
      const listeners = spawnSync('ss', ['-ltnpH'], { encoding: 'utf8' }).stdout;
      const xvncPid = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
        .stdout.split('\n')
        .find((line) => line.includes(`-rfbunixpath ${socket}`))
        ?.trim()
        .split(' ')[0];
      assert.ok(xvncPid, 'no Xvnc with the session socket in ps');
      assert.ok(!listeners.includes(`pid=${xvncPid},`), `Xvnc listens on TCP:\n${listeners}`);
      // The cookie is in the session's xauthority file, never in anyone's argv.
      const cookie = /MIT-MAGIC-COOKIE-1\s+([0-9a-f]{32})/.exec(
        spawnSync('xauth', ['-f', join(job.sessionDir, 'xauthority'), 'list'], { encoding: 'utf8' }).stdout,
      )?.[1];
      assert.ok(cookie, 'no cookie in the session xauthority');
      assert.equal(statSync(join(job.sessionDir, 'xauthority')).mode & 0o777, 0o600);
      const argv = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
      assert.ok(!argv.includes(cookie), 'the X cookie is in a process argument');
      assert.ok(!argv.includes('test-vnc'), 'the VNC password is in a process argument');
    });
    const xvnc = calls.find((call) => call.includes('Xvnc'))!;
    const after = (option: string) => xvnc[xvnc.indexOf(option) + 1];
    assert.equal(after('-rfbport'), '-1');
    assert.equal(after('-rfbunixpath'), connection.socket);
    assert.equal(after('-rfbunixmode'), '0600');
    assert.equal(after('-nolisten'), 'tcp');
    assert.match(after('-auth'), /xauthority$/);
    assert.ok(
      xvnc.some((word) => /-displayfd 3/.test(word)),
      'the display is not reported by the server',
    );
    for (const option of ['-AlwaysShared', '-UseBlacklist=0', '-localhost']) assert.ok(!xvnc.includes(option), `Xvnc has ${option}`);
    assert.equal(existsSync(folder), false, `${folder} outlived the job`);
  });

  it('listens on a TCP port of the node for the direct route only', async () => {
    const job = prepareJob({ runtime: 'native' }, desktop, 'tcp');
    const child = startJob(job);
    const connection = JSON.parse(await waitForFile(join(job.sessionDir, 'connection.json'), child)) as { port?: number; socket?: string };
    try {
      assert.equal(connection.socket, undefined);
      assert.ok(connection.port && (await answers(connection.port)), `no VNC server on port ${connection.port}`);
    } finally {
      await stopJob(child);
    }
    assert.equal(await answers(connection.port), false, 'Xvnc outlived its job');
  });
});
