// A viewer stream as the app opens it: WebSocket → bridge → the endpoint the running agent keeps
// for a ready desktop (no process started on the login node per stream) → node01's Xvnc.
// The RFB handshake works stream after stream, and a refused login reaches the viewer with the
// server's own reason and a clean close, not a torn-down "Premature close".
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { createWebSocketStream, WebSocket } from 'ws';
import type { SessionView } from '../../../main/api';
import type { ApiBackend } from '../../../main/api-handlers';
import type { PortholeApp } from '../../../main/porthole-app';
import type { LiveCluster } from '../../../main/live-cluster';
import { rfbHandshake, type HandshakeResult } from '../agent/rfb-client';
import { loadTestCluster } from '../fixture';
import { portholeApp, realBundle } from './harness';

const state = loadTestCluster();
const VERSION = `0.0.0-viewer-${process.pid}`;
/** The page the viewer runs in, as `porthole serve` would tell the bridge. */
const PAGE = 'http://127.0.0.1:8123';

/** One viewer: handshake with this password, then how the bridge closed the WebSocket. */
async function viewer(url: string, password: string): Promise<{ handshake: HandshakeResult; closeCode: number }> {
  const ws = new WebSocket(url, { origin: PAGE });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const stream = createWebSocketStream(ws);
  stream.on('error', () => undefined);
  const handshake = await rfbHandshake(stream, stream, password);
  if (handshake.ok) ws.close();
  return { handshake, closeCode: await closed };
}

describe("viewer streams through the agent's relay endpoint", () => {
  let app: PortholeApp;
  let live: LiveCluster;
  let session: SessionView;
  let backend: ApiBackend;
  /** A viewer URL opens one stream: each viewer asks for its own, as the app's viewer does. */
  const viewerTarget = () => backend.handlers['sessions.viewerUrl']('demo', session.id);

  before(async () => {
    const bundle = await realBundle(VERSION);
    const made = await portholeApp(bundle);
    app = made.app;
    app.bridge.allowPageOrigins([PAGE]);
    backend = made.backend;
    made.backend.subscribe((event) => {
      if (event.type === 'prompt' && event.prompt.type === 'hostKey')
        void made.backend.handlers['prompts.answer'](event.prompt.id, { type: 'hostKey', trust: true });
    });
    await made.backend.handlers['clusters.add']({ name: 'demo', host: 'porthole-test', sshConfigFile: state.sshConfigFile });
    await made.backend.handlers['clusters.connect']('demo');
    live = await app.cluster('demo');
    session = await made.backend.handlers['sessions.launch']('demo', 'vnc-desktop', {
      hours: 0.25,
      runtime: 'native',
      resolution: '1280x800',
    });
    for (let i = 0; i < 600 && session.state !== 'ready' && session.state !== 'ended'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      session = (await made.backend.handlers['sessions.list']('demo')).find((s) => s.id === session.id) ?? session;
    }
    assert.equal(session.state, 'ready', JSON.stringify(session));
  });

  after(async () => {
    if (session) await live.connection.run(`scancel ${session.jobId}`).catch(() => undefined);
    await live?.connection.run(`rm -rf "$HOME/.porthole/agent/${VERSION}"`).catch(() => undefined);
    await app?.stop();
  });

  it('logs in stream after stream through a socket the agent keeps, not a relay process per stream', async () => {
    for (let i = 0; i < 3; i++) {
      const { url, password } = await viewerTarget();
      const { handshake } = await viewer(url, password);
      assert.equal(handshake.ok, true, `stream ${i + 1}: ${JSON.stringify(handshake)}`);
    }
    const endpoint = await live.agent.call('sessions.relay', { id: session.id });
    assert.ok('socket' in endpoint, JSON.stringify(endpoint));
    assert.match(endpoint.socket, new RegExp(`/relay-${session.id}-\\d+\\.sock$`));
    const socket = await live.connection.run(`test -S '${endpoint.socket}' && echo socket`);
    assert.equal(socket.stdout.trim(), 'socket');
  });

  it('keeps its relay when another serve of the same user on the login node opens one for the same desktop and ends', async () => {
    const mine = await live.agent.call('sessions.relay', { id: session.id });
    // The same person's app on a second computer: a serve of its own, asking for the same desktop.
    const other = await live.connection.exec(`exec node ~/.porthole/agent/${VERSION}/agent.cjs serve`);
    const lines = createInterface({ input: other });
    const answered = new Promise<string>((resolve) => lines.on('line', (line) => (JSON.parse(line).id === 1 ? resolve(line) : undefined)));
    other.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sessions.relay', params: { id: session.id } }) + '\n');
    const theirs = JSON.parse(await answered) as { result?: { socket?: string } };
    assert.ok(theirs.result?.socket, JSON.stringify(theirs));
    const ended = new Promise((resolve) => other.once('close', resolve));
    other.end();
    await ended;

    const again = await live.agent.call('sessions.relay', { id: session.id });
    assert.deepEqual(again, mine);
    const socket = await live.connection.run(`test -S '${'socket' in again ? again.socket : ''}' && echo socket`);
    assert.equal(socket.stdout.trim(), 'socket', "the other serve took this one's relay socket with it");
    const { url, password } = await viewerTarget();
    assert.equal((await viewer(url, password)).handshake.ok, true);
  });

  it("takes the hop to the node with AES-GCM first and in a session, so that the node's sshd turns Nagle off", async () => {
    // `[-]M` keeps pgrep's own shell from matching.
    const master = await live.connection.run(`pgrep -u "$(id -u)" -a -f 'ssh .*[-]M -S /tmp/porthole-'`);
    assert.match(master.stdout, /-o Ciphers=aes128-gcm@openssh\.com,aes256-gcm@openssh\.com,chacha20-poly1305@openssh\.com,/);
    assert.match(master.stdout, / node01 exec cat >\/dev\/null$/m);
  });

  it("brings the server's refusal of a wrong password to the viewer, then closes cleanly", async () => {
    const { handshake, closeCode } = await viewer((await viewerTarget()).url, 'wrong-pw');
    assert.equal(handshake.ok, false);
    assert.match(handshake.failureReason ?? '', /auth/i);
    assert.equal(closeCode, 1000);
  });
});
