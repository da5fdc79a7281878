// The idle stop of a Moonlight desktop on the real cluster (Slurm, the gpu partition's node), with a
// site.json of the test's own (1 idle minute: the warning comes 30 s before the stop). Sunshine and
// Moonlight cannot be installed here: the job runs the FAKE Sunshine (test/fakes/fake-sunshine.mjs,
// first on the job's PATH), which logs "CLIENT CONNECTED" / "CLIENT DISCONNECTED" to its log file
// as the real one does, and the stream client is the FAKE Moonlight (test/fakes/fake-moonlight.mjs),
// run on this workstation against the node's address. The node has one GPU: the desktops run one
// after the other.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Session, SessionConnection } from '../../../agent/protocol';
import { FAKE_MOONLIGHT } from '../../fakes/moonlight-fakes';
import { loadTestCluster, shellQuote, sshRun, tempDir } from '../fixture';
import { cancelAll, installFakeSunshine } from './agent-harness';
import { jobInSqueue } from '../jobs';
import { makePrivateAgentHome, type PrivateAgentHome } from './private-agent-home';

const IDLE_MINUTES = 1;
const cluster = loadTestCluster();
const node = cluster.slurm.nodes[0];
let box: PrivateAgentHome;
let jobEnv: Record<string, string>;
const launched: Session[] = [];

before(async () => {
  box = await makePrivateAgentHome();
  await box.writeSiteConfig({ idle: { minutes: IDLE_MINUTES } });
  const fakesBin = `${box.home}/fakes-bin`;
  await installFakeSunshine(fakesBin);
  jobEnv = { PATH: `${fakesBin}:/usr/local/bin:/usr/bin:/bin` };
});

after(async () => {
  await cancelAll(launched);
  await box?.remove();
});

async function readyDesktop(): Promise<Session> {
  const session = await box.agentJson<Session>(
    [
      'sessions.launch',
      'moonlight-desktop',
      ...['--param', 'partition=gpu', '--param', 'runtime=native', '--param', 'hours=0.25', '--param', 'cpus=1', '--param', 'memoryGb=0.5'],
    ],
    jobEnv,
  );
  launched.push(session);
  // The node's one GPU may be another test's for a while: the job then waits in the queue.
  const ready = await box.waitForSession(session.id, (s) => s.state === 'ready' || s.state === 'ended', 240_000);
  assert.equal(ready.state, 'ready', JSON.stringify(ready));
  return ready;
}

/**
 * The FAKE Moonlight streaming the desktop until stopped. Pairing is not what is tested here (see
 * moonlight-desktop.test.ts): the client is entered as paired in the fake Sunshine's state file.
 */
async function startStream(session: Session): Promise<{ client: ChildProcess; stop: () => Promise<void> }> {
  const connection = await box.agentJson<SessionConnection>(['sessions.connection', session.id]);
  assert.equal(connection.kind, 'sunshine');
  if (connection.kind !== 'sunshine') throw new Error('not a Sunshine session');
  const records = tempDir('moonlight-idle');
  const uniqueId = randomUUID();
  writeFileSync(join(records, 'uniqueid'), uniqueId);
  const stateFile = `${box.home}/.porthole/sunshine/${node.name}/sunshine_state.json`;
  const paired = await sshRun(`cat > ${shellQuote(stateFile)}`, {
    input: JSON.stringify({ named_devices: [{ uniqueId, name: 'idle test', uuid: randomUUID(), enabled: true }] }),
  });
  assert.equal(paired.code, 0, paired.stderr);
  const client = spawn(process.execPath, [FAKE_MOONLIGHT, 'stream', `${connection.host}:${connection.portBase}`, 'Desktop'], {
    env: { ...process.env, FAKE_MOONLIGHT_DIR: records, FAKE_MOONLIGHT_STREAM_SECONDS: '600' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  client.stdout?.on('data', (chunk) => (output += chunk));
  client.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => client.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    client.stdout?.on('data', () => output.includes('Streaming') && resolve());
    void exited.then(() => reject(new Error(`the fake Moonlight ended before streaming: ${output}`)));
  });
  return {
    client,
    stop: async () => {
      client.kill('SIGTERM');
      await exited;
    },
  };
}

describe(`a Moonlight desktop with an idle stop of ${IDLE_MINUTES} minute`, () => {
  it('with no stream client: warns, then ends as idle with its reason, and its job is gone from squeue', { timeout: 420_000 }, async () => {
    const session = await readyDesktop();
    const seen: Session[] = [];
    const ended = await box.waitForSession(session.id, (s) => s.state === 'ended', 150_000, seen);
    assert.equal(ended.end, 'idle', JSON.stringify(ended));
    assert.match(ended.reason ?? '', /after 1 minute with no viewer connected and no input/);
    assert.ok(
      seen.some((s) => s.state === 'ready' && s.idleStopAt),
      'the warning came while the desktop was ready',
    );
    assert.equal(await jobInSqueue(session.jobId), false, 'the job left squeue: the GPU is free');
  });

  it('keeps running while Moonlight streams it, and warns once the stream ends', { timeout: 480_000 }, async () => {
    const session = await readyDesktop();
    const stream = await startStream(session);
    try {
      const seen: Session[] = [];
      // Past the idle minute and its margin: still ready, never warned.
      await box.waitForSession(session.id, () => false, (IDLE_MINUTES * 60 + 20) * 1000, seen).catch(() => undefined);
      assert.ok(
        seen.every((s) => s.state === 'ready' && !s.idleStopAt),
        JSON.stringify(seen.find((s) => s.state !== 'ready' || s.idleStopAt)),
      );
    } finally {
      await stream.stop();
    }
    const warned = await box.waitForSession(session.id, (s) => s.state === 'ended' || Boolean(s.idleStopAt), 90_000);
    assert.equal(warned.state, 'ready', 'the warning comes before any end');
    const log = await sshRun(`cat ${shellQuote(`${box.home}/.porthole/sessions/${session.id}/sunshine.log`)}`);
    assert.match(log.stdout, /^\[[\d-]+ [\d:.]+\]: Info: CLIENT CONNECTED\n.*\[[\d-]+ [\d:.]+\]: Info: CLIENT DISCONNECTED$/ms);
  });
});
