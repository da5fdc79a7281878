import { test } from 'node:test';
import { manualClock } from './manual-clock';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Client } from 'ssh2';
import type { ApiEvent, ConnectionState } from '../../../main/api';
import { PromptBroker } from '../../../main/prompts';
import { ConnectFailed, type ConnectOptions, type OpenRoute } from '../../../main/ssh/connect-route';
import { SshConnection } from '../../../main/ssh/connection';

class FakeClient extends EventEmitter {
  ended = false;
  end() {
    this.ended = true;
  }
}

function connection(results: (() => OpenRoute | Error)[]) {
  const { clock, advance } = manualClock();
  let calls = 0;
  const open = async (_o: ConnectOptions): Promise<OpenRoute> => {
    const result = results[Math.min(calls++, results.length - 1)]();
    if (result instanceof Error) throw result;
    return result;
  };
  const ssh = new SshConnection({
    cluster: 'c',
    loginNodes: [],
    hostKeys: {} as never,
    prompts: {} as never,
    home: '/',
    readyTimeoutMs: 1000,
    clock,
    open,
    backoff: { initialMs: 1000, maxMs: 8000, factor: 2, jitter: 0.5 },
  });
  const states: ConnectionState[] = [];
  ssh.on('state', (s) => states.push(s));
  return { ssh, states, advance, calls: () => calls };
}

const route = () => {
  const client = new FakeClient();
  return { client: client as unknown as Client, clients: [client as unknown as Client], loginNode: 'h' };
};

test('connects, and on a drop reconnects with backoff, showing each attempt and its reason', async () => {
  let first: OpenRoute | null = null;
  const { ssh, states, advance } = connection([
    () => (first = route()),
    () => new ConnectFailed('Cannot reach h:22: ECONNREFUSED', true),
    () => route(),
  ]);
  const ups: unknown[] = [];
  ssh.on('up', (c) => ups.push(c));
  await ssh.connect();
  assert.equal(ssh.state.status, 'connected');
  (first!.client as unknown as EventEmitter).emit('close');
  assert.equal(ssh.state.status, 'reconnecting');
  assert.equal(ssh.state.attempt, 1);
  assert.match(ssh.state.reason ?? '', /closed/);
  assert.ok(ssh.state.nextAttemptAt! > 0);
  await advance(1000);
  assert.equal(ssh.state.status, 'reconnecting');
  assert.equal(ssh.state.attempt, 2);
  assert.match(ssh.state.reason ?? '', /ECONNREFUSED/);
  await advance(2000);
  assert.equal(ssh.state.status, 'connected');
  assert.equal(ups.length, 2);
  assert.deepEqual(
    states.map((s) => s.status),
    ['connecting', 'connected', 'reconnecting', 'reconnecting', 'reconnecting', 'reconnecting', 'connected'],
  );
});

test('a refused host key or sign-in is not retried: the state is failed with the reason', async () => {
  const { ssh, advance, calls } = connection([() => new ConnectFailed('WARNING: the host key of h has changed', false)]);
  await assert.rejects(ssh.connect(), /host key/);
  await advance(60_000);
  assert.equal(calls(), 1);
  assert.deepEqual(ssh.state, { cluster: 'c', status: 'failed', reason: 'WARNING: the host key of h has changed' });
});

test('disconnect stops the reconnecting', async () => {
  let first: OpenRoute | null = null;
  const { ssh, advance, calls } = connection([() => (first = route()), () => route()]);
  await ssh.connect();
  (first!.client as unknown as EventEmitter).emit('close');
  ssh.disconnect();
  await advance(60_000);
  assert.equal(calls(), 1);
  assert.equal(ssh.state.status, 'offline');
});

test('a prompt goes out as an event and comes back with its answer; a wrong answer type is refused', async () => {
  const events: ApiEvent[] = [];
  const broker = new PromptBroker((e) => events.push(e));
  const asked = broker.ask({ cluster: 'c', type: 'hostKey', host: 'h', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:x' });
  const prompt = events[0].type === 'prompt' ? events[0].prompt : null;
  assert.ok(prompt);
  assert.deepEqual(
    broker.open().map((p) => p.id),
    [prompt.id],
  );
  assert.throws(() => broker.answer(prompt.id, { type: 'passphrase', passphrase: 'x' }), /needs a 'hostKey' answer/);
  assert.throws(() => broker.answer(prompt.id, { type: 'hostKey', trust: 'yes' }), /Not an answer/);
  broker.answer(prompt.id, { type: 'hostKey', trust: true });
  assert.deepEqual(await asked, { type: 'hostKey', trust: true });
  assert.deepEqual(events[1], { type: 'promptClosed', id: prompt.id });
  assert.throws(() => broker.answer(prompt.id, { type: 'hostKey', trust: true }), /no longer open/);
});

test('a prompt is withdrawn when its connection attempt ends', async () => {
  const events: ApiEvent[] = [];
  const broker = new PromptBroker((e) => events.push(e));
  const controller = new AbortController();
  const asked = broker.ask({ cluster: 'c', type: 'passphrase', keyFile: '/k' }, controller.signal);
  controller.abort();
  await assert.rejects(asked, /withdrawn/);
  assert.equal(events[1].type, 'promptClosed');
});
