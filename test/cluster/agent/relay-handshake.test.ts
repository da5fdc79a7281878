// A desktop launched natively on node01 is reached only through `relay <id>`: the RFB handshake
// succeeds with the session's password by every route the cluster allows (each ends at the
// server's Unix socket on the node), fails with a wrong one, and the socket is node-local.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Session, VncConnection } from '../../../agent/protocol';
import { shellQuote } from '../fixture';
import { agentJson, AGENT_FILE, cancelAll, installAgent, launch, sshChannel, waitForSession } from './agent-harness';
import { rfbHandshake } from './rfb-client';

function handshakeThroughRelay(session: Session, route: string, password: string) {
  const relay = sshChannel(`PORTHOLE_ROUTE=${shellQuote(route)} exec node ~/${AGENT_FILE} relay ${shellQuote(session.id)}`);
  let stderr = '';
  relay.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return rfbHandshake(relay.stdout, relay.stdin, password)
    .catch((error: Error) => {
      throw new Error(`${error.message}; relay stderr: ${stderr}`);
    })
    .finally(() => {
      relay.stdin.end();
      setTimeout(() => relay.kill(), 2000).unref();
    });
}

describe('relay to a native vnc-desktop on node01', () => {
  let session: Session | undefined;
  let connection: VncConnection;

  before(async () => {
    installAgent();
    session = await launch('vnc-desktop', { hours: '0.25', runtime: 'native', resolution: '1280x800' });
    session = await waitForSession(session.id, (s) => s.state === 'ready' || s.state === 'ended', 60_000);
    assert.equal(session.state, 'ready', JSON.stringify(session));
    connection = await agentJson<VncConnection>(['sessions.connection', session.id, '--with-secret']);
  });

  after(() => cancelAll([session]));

  it("reports the server's Unix socket on the node, and a password only when asked", async () => {
    assert.equal(connection.node, 'node01');
    assert.ok('socket' in connection && /^\/tmp\/porthole-[^/]+\/vnc\.sock$/.test(connection.socket), JSON.stringify(connection));
    assert.ok(!('port' in connection), 'a VNC session of the default route has a TCP port');
    assert.equal(connection.password?.length, 8);
    const withoutSecret = await agentJson<VncConnection>(['sessions.connection', (session as Session).id]);
    assert.equal(withoutSecret.password, undefined);
  });

  for (const route of ['ssh', 'srun', 'auto']) {
    it(`completes the VncAuth handshake through relay by route ${route}`, async () => {
      const result = await handshakeThroughRelay(session as Session, route, connection.password as string);
      assert.match(result.serverVersion, /^RFB 003\.00[38]$/);
      assert.equal(result.ok, true, result.failureReason);
    });
  }

  it('fails the handshake with a wrong password', async () => {
    const result = await handshakeThroughRelay(session as Session, 'srun', 'wrongpw1');
    assert.equal(result.ok, false);
  });

  it('has its socket on the node only: the login side has no such path', () => {
    assert.equal(existsSync((connection as { socket: string }).socket), false);
  });

  it('ends as cancelled when cancelled, and Xvnc is gone', async () => {
    const id = (session as Session).id;
    await agentJson<Session>(['sessions.cancel', id]);
    const ended = await waitForSession(id, (s) => s.state === 'ended', 30_000);
    assert.equal(ended.end, 'cancelled');
  });
});

describe('the opt-in direct route', () => {
  let session: Session | undefined;

  after(() => cancelAll([session]));

  it('gives the session a TCP port on the node, which relay reaches from the login node', async () => {
    const direct = { PORTHOLE_ROUTE: 'direct' };
    session = await agentJson<Session>(['sessions.launch', 'xterm', '--param', 'hours=0.25', '--param', 'runtime=native'], { env: direct });
    session = await waitForSession(session.id, (s) => s.state === 'ready' || s.state === 'ended', 60_000);
    assert.equal(session.state, 'ready', JSON.stringify(session));
    const connection = await agentJson<VncConnection>(['sessions.connection', session.id, '--with-secret'], { env: direct });
    assert.ok('port' in connection && !('socket' in connection), JSON.stringify(connection));
    const result = await handshakeThroughRelay(session, 'direct', connection.password as string);
    assert.equal(result.ok, true, result.failureReason);
  });
});
