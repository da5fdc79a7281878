// The idle stop on the real cluster, with a site.json of the test's own (1 idle minute: the warning
// comes 30 s before the stop): a desktop nobody connects to is warned about, then ends `idle` and
// its job leaves squeue; a viewer connected through the relay (a real RFB client) keeps it; Keep
// running restarts its clock. The three desktops run side by side to keep the wait to ~2 minutes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Session, VncConnection } from '../../../agent/protocol';
import { shellQuote } from '../fixture';
import { cancelAll, sshChannel } from './agent-harness';
import { jobInSqueue } from '../jobs';
import { makePrivateAgentHome, type PrivateAgentHome } from './private-agent-home';
import { rfbHandshake } from './rfb-client';

const IDLE_MINUTES = 1;
let box: PrivateAgentHome;
const launched: Session[] = [];

before(async () => {
  box = await makePrivateAgentHome();
  await box.writeSiteConfig({ idle: { minutes: IDLE_MINUTES } });
});

after(async () => {
  await cancelAll(launched);
  await box?.remove();
});

async function readyDesktop(): Promise<Session> {
  const session = await box.agentJson<Session>(['sessions.launch', 'xterm', '--param', 'hours=0.25', '--param', 'runtime=native']);
  launched.push(session);
  const ready = await box.waitForSession(
    session.id,
    (s) => s.state !== 'submitted' && s.state !== 'queued' && s.state !== 'starting',
    60_000,
  );
  assert.equal(ready.state, 'ready', JSON.stringify(ready));
  return ready;
}

/** A viewer on the desktop through `relay <id>`, as the app's bridge is: handshake, ClientInit, then open until closed. */
async function connectViewer(session: Session): Promise<() => void> {
  const connection = await box.agentJson<VncConnection>(['sessions.connection', session.id, '--with-secret']);
  const relay = sshChannel(
    `HOME=${shellQuote(box.home)} PORTHOLE_SITE_FILE=${shellQuote(box.siteFile)} exec node ${shellQuote(`${box.home}/agent.cjs`)} relay ${shellQuote(session.id)}`,
  );
  const result = await rfbHandshake(relay.stdout, relay.stdin, connection.password ?? '');
  assert.equal(result.ok, true, result.failureReason);
  relay.stdin.write(Buffer.from([1])); // ClientInit, shared: the server then sends ServerInit and waits for requests.
  return () => {
    relay.stdin.end();
    relay.kill();
  };
}

describe(`a desktop with an idle stop of ${IDLE_MINUTES} minute`, { concurrency: true }, () => {
  it('warns while nobody uses it, then ends as idle with its reason, and its job is gone from squeue', async () => {
    const session = await readyDesktop();
    const seen: Session[] = [];
    const ended = await box.waitForSession(session.id, (s) => s.state === 'ended', 150_000, seen);
    assert.equal(ended.end, 'idle', JSON.stringify(ended));
    assert.match(ended.reason ?? '', /after 1 minute with no viewer connected and no input/);
    const warned = seen.find((s) => s.state === 'ready' && s.idleStopAt);
    assert.ok(warned, 'the warning came while the desktop was ready');
    assert.ok(Date.parse(warned.idleStopAt as string) > Date.parse(session.readyAt ?? session.submittedAt), 'a stop in the future');
    assert.equal(await jobInSqueue(session.jobId), false, 'the job left squeue: its node is free');
  });

  it('keeps running while a viewer is connected, and warns once it leaves', async () => {
    const session = await readyDesktop();
    const disconnect = await connectViewer(session);
    try {
      const seen: Session[] = [];
      // Past the idle minute and its margin: still ready, never warned.
      await box.waitForSession(session.id, () => false, (IDLE_MINUTES * 60 + 20) * 1000, seen).catch(() => undefined);
      assert.ok(
        seen.every((s) => s.state === 'ready' && !s.idleStopAt),
        JSON.stringify(seen.find((s) => s.state !== 'ready' || s.idleStopAt)),
      );
    } finally {
      disconnect();
    }
    const warned = await box.waitForSession(session.id, (s) => s.state === 'ended' || Boolean(s.idleStopAt), 90_000);
    assert.equal(warned.state, 'ready', 'the warning comes before any end');
  });

  it('keeps running after Keep running: the warning goes at once and the first stop time passes', async () => {
    const session = await readyDesktop();
    const warned = await box.waitForSession(session.id, (s) => s.state === 'ended' || Boolean(s.idleStopAt), 90_000);
    assert.equal(warned.state, 'ready', JSON.stringify(warned));
    const kept = await box.agentJson<Session>(['sessions.keepRunning', session.id]);
    assert.equal(kept.idleStopAt, undefined, 'the warning went away with the answer');
    const firstStop = Date.parse(warned.idleStopAt as string);
    const seen: Session[] = [];
    const after = await box.waitForSession(session.id, (s) => s.state === 'ended' || Date.now() > firstStop + 15_000, 90_000, seen);
    assert.equal(after.state, 'ready', JSON.stringify(after));
    const warnedAgain = seen.find((s) => s.idleStopAt);
    if (warnedAgain) assert.ok(Date.parse(warnedAgain.idleStopAt as string) > firstStop + 20_000, 'a new warning counts from the keep');
  });
});

describe('sessions.keepRunning', () => {
  it('refuses a session that is not ready, naming it', async () => {
    const session = launched.find((s) => s) ?? (await readyDesktop());
    await cancelAll([session]);
    await box.waitForSession(session.id, (s) => s.state === 'ended', 60_000);
    const refused = await box.agent(['sessions.keepRunning', session.id, '--json']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(JSON.parse(refused.stderr).error.message, /a ready session; this one is ended/);
  });
});
