// A desktop launched natively on node01 is reached only through `relay <id>`: the RFB handshake
// succeeds with the session's password by every route the cluster allows (each ends at the
// server's Unix socket on the node), fails with a wrong one, and the socket is node-local.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import type { Session, VncConnection } from '../../../agent/protocol';
import { RfbMessageEnds } from '../../../main/viewer-bridge/rfb-message-ends';
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

  it("lets the viewer bridge follow the real Xvnc's messages: a first screen asked for as noVNC asks ends where it says", async () => {
    const relay = sshChannel(`exec node ~/${AGENT_FILE} relay ${shellQuote((session as Session).id)}`);
    const ends = new RfbMessageEnds();
    const desktopBytes: Buffer[] = [];
    let received = 0;
    let lastEnd = -1;
    relay.stdout.on('data', (chunk: Buffer) => {
      const end = ends.fromDesktop(chunk);
      if (end >= 0) lastEnd = received + end;
      received += chunk.length;
      desktopBytes.push(chunk);
    });
    const toDesktop = new Writable({
      write(chunk: Buffer, _encoding, done) {
        ends.fromViewer(chunk);
        relay.stdin.write(chunk, done);
      },
    });
    try {
      const result = await rfbHandshake(relay.stdout, toDesktop, connection.password as string);
      assert.equal(result.ok, true, result.failureReason);
      const serverInitAt = received;
      const int32s = (values: number[]) => Buffer.concat(values.map((v) => Buffer.from(new Int32Array([v]).buffer).reverse()));
      // noVNC's encodings (core/rfb.js _sendEncodings) with quality 5 and compression 6, its bgr888 pixel format
      const encodings = [
        1,
        7,
        -260,
        16,
        21,
        5,
        2,
        6,
        0,
        -27,
        -250,
        -223,
        -224,
        -258,
        -261,
        -308,
        -309,
        -312,
        -313,
        -307,
        0xc0a1e5ce | 0,
        -316,
        0x574d5664,
        -239,
      ];
      toDesktop.write(Buffer.from([1])); // ClientInit: shared
      toDesktop.write(Buffer.from([0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 0, 8, 16, 0, 0, 0]));
      toDesktop.write(Buffer.concat([Buffer.from([2, 0, 0, encodings.length]), int32s(encodings)]));
      toDesktop.write(Buffer.from([3, 0, 0, 0, 0, 0, 0x05, 0x00, 0x03, 0x20])); // the whole 1280×800 screen
      // Until the desktop has been quiet for a second
      for (let seen = -1; seen !== received;) {
        seen = received;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      assert.equal(ends.following, true, 'the follower gave up on a real Xvnc');
      const stream = Buffer.concat(desktopBytes);
      const updateAt = serverInitAt + 24 + stream.readUInt32BE(serverInitAt + 20); // after ServerInit and its name
      // Xvnc answers with a fence, EndOfContinuousUpdates and the update: 30 bytes at the least
      assert.ok(received > updateAt + 30, `only ${received - updateAt} bytes came after ServerInit`);
      assert.ok([0, 150, 248].includes(stream[updateAt]), `a server message after ServerInit, not type ${stream[updateAt]}`);
      assert.equal(lastEnd, received, 'the stream stopped at the end of a message');
    } finally {
      relay.stdin.end();
      setTimeout(() => relay.kill(), 2000).unref();
    }
  });

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
