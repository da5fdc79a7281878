import { test } from 'node:test';
import { manualClock } from './manual-clock';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { AgentRpcClient } from '../../../main/agent/rpc-client';

/** The agent's side of the channel: what the client wrote, and a way to answer. */
class FakeAgentStream extends EventEmitter {
  written: string[] = [];
  write(chunk: string) {
    this.written.push(...chunk.split('\n').filter(Boolean));
    return true;
  }
  request(index: number) {
    return JSON.parse(this.written[index]) as { id: number; method: string; params: unknown };
  }
  answer(message: object, split = false) {
    const text = JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n';
    if (split) {
      this.emit('data', Buffer.from(text.slice(0, 5)));
      this.emit('data', Buffer.from(text.slice(5)));
    } else this.emit('data', Buffer.from(text));
  }
}

const SESSION = {
  id: 's1',
  templateId: 'xterm',
  state: 'ready',
  jobId: '7',
  node: 'node01',
  values: { hours: 1 },
  submittedAt: '2026-11-30T15:00:00.000Z',
};

test('a call is one JSON-RPC line and resolves with its answer, even split across chunks', async () => {
  const stream = new FakeAgentStream();
  const client = new AgentRpcClient(stream);
  const hello = client.call('hello', {});
  const request = stream.request(0);
  assert.equal(request.method, 'hello');
  stream.answer(
    { id: request.id, result: { agentVersion: '1', protocolVersion: 1, nodeVersion: 'v20', user: 'u', capabilities: [] } },
    true,
  );
  assert.equal((await hello).agentVersion, '1');
});

test('answers out of order reach the right callers', async () => {
  const stream = new FakeAgentStream();
  const client = new AgentRpcClient(stream);
  const a = client.call('sessions.show', { id: 'a' });
  const b = client.call('sessions.show', { id: 'b' });
  stream.answer({ id: stream.request(1).id, result: { id: 'b' } });
  stream.answer({ id: stream.request(0).id, result: { id: 'a' } });
  assert.equal((await a).id, 'a');
  assert.equal((await b).id, 'b');
});

test('an agent error keeps its message, Slurm’s words and the field', async () => {
  const stream = new FakeAgentStream();
  const client = new AgentRpcClient(stream);
  const call = client.call('sessions.launch', { templateId: 'x', values: {} });
  stream.answer({
    id: stream.request(0).id,
    error: { code: -32602, message: "Partition 'gpux' does not exist", data: { field: 'partition', slurmMessage: 'invalid partition' } },
  });
  await assert.rejects(
    call,
    (e: Error & { field?: string }) => e.field === 'partition' && /gpux.*Slurm: invalid partition/.test(e.message),
  );
});

test('a call with no answer times out', async () => {
  const { clock, advance } = manualClock();
  const client = new AgentRpcClient(new FakeAgentStream(), { clock });
  const call = client.call('doctor', {}, { timeoutMs: 5000 });
  const failed = assert.rejects(call, /did not answer 'doctor' within 5 s/);
  await advance(5000);
  await failed;
});

test('a cancelled call rejects at once and its late answer is dropped', async () => {
  const stream = new FakeAgentStream();
  const protocolErrors: string[] = [];
  const client = new AgentRpcClient(stream, { onProtocolError: (line) => protocolErrors.push(line) });
  const notified: unknown[] = [];
  client.onNotification((method, params) => notified.push([method, params]));
  const controller = new AbortController();
  const call = client.call('sessions.list', {}, { signal: controller.signal });
  controller.abort();
  await assert.rejects(call, /cancelled/);
  const next = client.call('sessions.list', {});
  let nextResult: unknown = 'still waiting';
  void next.then((result) => (nextResult = result));

  stream.answer({ id: stream.request(0).id, result: [{ id: 'late' }] });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(nextResult, 'still waiting', 'the late answer is not given to the next call');
  assert.deepEqual(notified, [], 'nor to notification listeners');
  assert.deepEqual(protocolErrors, [], 'and it is not a protocol error either');

  stream.answer({ id: stream.request(1).id, result: [{ id: 'own' }] });
  assert.deepEqual(await next, [{ id: 'own' }]);
});

test('notifications reach listeners; bad lines do not break the stream', async () => {
  const stream = new FakeAgentStream();
  const bad: string[] = [];
  const client = new AgentRpcClient(stream, { onProtocolError: (problem) => bad.push(problem) });
  const seen: unknown[] = [];
  client.onNotification((method, params) => seen.push([method, params]));
  stream.emit('data', 'not json\n');
  stream.answer({ method: 'session.changed', params: SESSION });
  assert.deepEqual(seen, [['session.changed', SESSION]]);
  assert.deepEqual(bad, ['dropped a line that is not JSON (8 characters)']);
});

test('a malformed session.changed is dropped with a line saying what is wrong, and the stream goes on', async () => {
  const stream = new FakeAgentStream();
  const bad: string[] = [];
  const client = new AgentRpcClient(stream, { onProtocolError: (problem) => bad.push(problem) });
  const seen: unknown[] = [];
  client.onNotification((method, params) => seen.push([method, params]));
  stream.answer({ method: 'session.changed', params: { ...SESSION, state: 'exploded' } });
  stream.answer({ method: 'session.changed', params: { id: 's1', state: 'ready' } });
  stream.answer({ method: 'session.changed' });
  stream.answer({ method: 'sessions.burned', params: SESSION });
  const call = client.call('hello', {});
  stream.answer({ id: stream.request(0).id, result: { agentVersion: '1' } });
  assert.equal((await call).agentVersion, '1', 'the stream still answers calls');
  assert.deepEqual(seen, [], 'no listener saw a malformed notification');
  assert.deepEqual(bad, [
    'dropped a malformed session.changed: state: one of: submitted, queued, starting, ready, ended',
    'dropped a malformed session.changed: templateId: a template id',
    'dropped a malformed session.changed: params: Invalid input: expected object, received undefined',
    "dropped the notification 'sessions.burned', which this version does not know",
  ]);
});

test('when the agent stops, waiting calls fail and later calls fail at once', async () => {
  const stream = new FakeAgentStream();
  const client = new AgentRpcClient(stream);
  const waiting = client.call('sessions.list', {});
  stream.emit('close');
  await assert.rejects(waiting, /agent stopped/);
  await assert.rejects(client.call('hello', {}), /agent stopped/);
});
