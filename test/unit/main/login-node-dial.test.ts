// Which login node is signed in to, with real TCP servers on 127.0.0.1: one that greets as sshd
// does, one that accepts and says nothing (a hung sshd: its kernel still accepts), one that refuses.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { DialFailed, dialFirstAnswer, type DialCandidate } from '../../../main/ssh/dial';

const servers: Server[] = [];
const accepted: Socket[] = [];
after(() => {
  for (const socket of accepted) socket.destroy();
  for (const server of servers) server.close();
});

async function server(greeting: string | null): Promise<number> {
  const s = createServer((socket) => {
    accepted.push(socket);
    socket.on('error', () => undefined);
    if (greeting !== null) socket.write(greeting);
  });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as { port: number }).port;
}

/** A port nothing listens on. */
async function refusingPort(): Promise<number> {
  const port = await server(null);
  await new Promise((resolve) => servers.pop()!.close(resolve));
  return port;
}

const opened: string[] = [];
function candidate(label: string, port: number): DialCandidate {
  return {
    label,
    open: () =>
      new Promise<Duplex>((resolve, reject) => {
        opened.push(label);
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      }),
  };
}

function readAll(socket: Duplex): Promise<string> {
  return new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error('no greeting line came through within 2 s')), 2000).unref();
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) resolve(text);
    });
    socket.resume();
  });
}

test('the first login node that greets is chosen, and its greeting still reaches the SSH client', async () => {
  opened.length = 0;
  const login1 = await server('SSH-2.0-login1\r\n');
  const login2 = await server('SSH-2.0-login2\r\n');
  const dialed = await dialFirstAnswer([candidate('login1', login1), candidate('login2', login2)], {
    headStartMs: 1000,
    answerTimeoutMs: 5000,
  });
  assert.equal(dialed.label, 'login1');
  assert.deepEqual(opened, ['login1'], 'login2 was not even opened: login1 answered within its head start');
  assert.equal(await readAll(dialed.socket), 'SSH-2.0-login1\r\n');
  dialed.socket.destroy();
});

test('a login node that accepts but never greets (a hung sshd) loses to the next after its head start', async () => {
  opened.length = 0;
  const hung = await server(null);
  const login2 = await server('SSH-2.0-login2\r\n');
  const started = performance.now();
  const dialed = await dialFirstAnswer([candidate('login1', hung), candidate('login2', login2)], {
    headStartMs: 300,
    answerTimeoutMs: 5000,
  });
  const took = performance.now() - started;
  assert.equal(dialed.label, 'login2');
  assert.ok(took >= 290 && took < 1500, `login2 was tried once login1's 300 ms head start had passed (took ${took.toFixed(0)} ms)`);
  assert.equal(await readAll(dialed.socket), 'SSH-2.0-login2\r\n');
  dialed.socket.destroy();
});

test('a login node that refuses hands its head start to the next at once', async () => {
  const refused = await refusingPort();
  const login2 = await server('SSH-2.0-login2\r\n');
  const started = performance.now();
  const dialed = await dialFirstAnswer([candidate('login1', refused), candidate('login2', login2)], {
    headStartMs: 5000,
    answerTimeoutMs: 10_000,
  });
  assert.equal(dialed.label, 'login2');
  assert.ok(performance.now() - started < 1000, 'no waiting out the 5 s head start of a refused login node');
  dialed.socket.destroy();
});

test('when no login node answers, the error names each one and its own reason', async () => {
  const refused = await refusingPort();
  const hung = await server(null);
  const failure = await dialFirstAnswer([candidate('login1', refused), candidate('login2', hung)], {
    headStartMs: 100,
    answerTimeoutMs: 600,
  }).then(
    () => assert.fail('no login node greeted, yet one was chosen'),
    (error: unknown) => error,
  );
  assert.ok(failure instanceof DialFailed);
  assert.match(failure.message, /^login1: connect ECONNREFUSED 127\.0\.0\.1:\d+; login2: no SSH greeting within 0\.6 s$/);
});

test('an attempt stopped from outside ends at once and closes the connection it had opened', async () => {
  const hung = await server(null);
  const abort = new AbortController();
  const dialing = dialFirstAnswer([candidate('login1', hung)], { headStartMs: 100, answerTimeoutMs: 10_000, signal: abort.signal });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const serverSide = accepted[accepted.length - 1];
  const closed = new Promise((resolve) => serverSide.once('end', resolve));
  abort.abort();
  await assert.rejects(dialing, /stopped/);
  await closed;
});
