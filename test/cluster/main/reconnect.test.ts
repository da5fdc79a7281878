// A dropped connection (its sshd child killed by PID) comes back by itself: the state shows
// each step, the agent is re-attached, sessions are still listed and a viewer tunnel works again.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import type { ConnectionState } from '../../../main/api';
import type { AgentBundle } from '../../../main/agent/bootstrap';
import type { LiveCluster } from '../../../main/live-cluster';
import { loadTestCluster } from '../fixture';
import { portholeApp, realBundle, standInBundle } from './harness';

const state = loadTestCluster();
/** The page the viewer runs in, as `porthole serve` tells the bridge. */
const PAGE = 'http://127.0.0.1:8123';
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  // Last registered, first run: sessions and files go before the connection does.
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function appWithCluster(bundle: AgentBundle) {
  const { app, backend } = await portholeApp(bundle);
  app.bridge.allowPageOrigins([PAGE]);
  cleanups.push(() => app.stop());
  backend.subscribe((event) => {
    if (event.type === 'prompt' && event.prompt.type === 'hostKey')
      void backend.handlers['prompts.answer'](event.prompt.id, { type: 'hostKey', trust: true });
  });
  await backend.handlers['clusters.add']({ name: 'demo', host: 'porthole-test', sshConfigFile: state.sshConfigFile });
  await backend.handlers['clusters.connect']('demo');
  const live = await app.cluster('demo');
  cleanups.push(() =>
    live.connection.run(`rm -rf "$HOME/.porthole/agent/${bundle.version}"`).then(
      () => undefined,
      () => undefined,
    ),
  );
  return { app, backend, live };
}

/** Kills the sshd process that serves this connection (the parent of a command's shell). */
async function killConnectionSshd(live: LiveCluster): Promise<number> {
  const pid = Number((await live.connection.run('echo $PPID')).stdout.trim());
  assert.ok(pid > 1, 'found the sshd child of the connection');
  execFileSync('kill', ['-9', String(pid)]);
  return pid;
}

function waitForState(live: LiveCluster, status: ConnectionState['status'], timeoutMs = 20_000): Promise<ConnectionState[]> {
  const seen: ConnectionState[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${status}' within ${timeoutMs} ms; saw ${JSON.stringify(seen)}`)), timeoutMs);
    const listener = (s: ConnectionState) => {
      seen.push(s);
      if (s.status === status) {
        clearTimeout(timer);
        live.off('state', listener);
        resolve(seen);
      }
    };
    live.on('state', listener);
  });
}

function echoThrough(url: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin: PAGE });
    let received = '';
    ws.on('open', () => ws.send(Buffer.from(text)));
    ws.on('message', (d) => {
      received += d.toString();
      if (received.length >= text.length) {
        ws.close();
        resolve(received);
      }
    });
    ws.on('error', reject);
  });
}

test('after the sshd child is killed: reconnects with visible states, agent back, tunnel works again', async () => {
  const { app, live } = await appWithCluster(await standInBundle(`0.0.0-test.${randomBytes(4).toString('hex')}`));
  assert.equal(await echoThrough(app.bridge.urlFor({ cluster: 'demo', sessionId: 'echo-1' }), 'before'), 'before');
  const states = waitForState(live, 'connected');
  await killConnectionSshd(live);
  const seen = (await states).map((s) => s.status);
  assert.ok(seen.includes('reconnecting'), `reconnecting was shown: ${seen.join(', ')}`);
  assert.ok(seen.indexOf('connected') > seen.indexOf('reconnecting'));
  assert.deepEqual(await app.backend().handlers['sessions.list']('demo'), []);
  // A viewer URL asked for now works again (each opens one stream): the relay is new.
  assert.equal(await echoThrough(app.bridge.urlFor({ cluster: 'demo', sessionId: 'echo-1' }), 'after'), 'after');
});

test('after the sshd child is killed: a running desktop session is still listed and its viewer connects again', async () => {
  const bundle = await realBundle('0.0.0-test.real');
  const { backend, live } = await appWithCluster(bundle);
  const { templates } = await backend.handlers['templates.list']('demo');
  const desktop = templates.find((tpl) => tpl.id === 'vnc-desktop');
  assert.ok(desktop, 'the vnc-desktop template is shipped');
  const launched = await backend.handlers['sessions.launch']('demo', 'vnc-desktop', { runtime: 'native', hours: 1 });
  cleanups.push(() =>
    backend.handlers['sessions.cancel']('demo', launched.id).then(
      () => undefined,
      () => undefined,
    ),
  );
  const deadline = Date.now() + 60_000;
  while ((await backend.handlers['sessions.list']('demo')).find((s) => s.id === launched.id)?.state !== 'ready') {
    assert.ok(Date.now() < deadline, 'the desktop became ready within 60 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  const viewerUrl = async () => (await backend.handlers['sessions.viewerUrl']('demo', launched.id)).url;
  assert.match(await rfbGreeting(await viewerUrl()), /^RFB 003\.00\d/);
  const states = waitForState(live, 'connected');
  await killConnectionSshd(live);
  await states;
  const listed = await backend.handlers['sessions.list']('demo');
  assert.equal(listed.find((s) => s.id === launched.id)?.state, 'ready');
  assert.match(await rfbGreeting(await viewerUrl()), /^RFB 003\.00\d/);
});

/** The first bytes a VNC server sends: its protocol version. */
function rfbGreeting(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin: PAGE });
    ws.on('message', (d) => {
      resolve(d.toString('latin1'));
      ws.close();
    });
    ws.on('error', reject);
    setTimeout(() => reject(new Error('no RFB greeting within 20 s')), 20_000).unref();
  });
}
