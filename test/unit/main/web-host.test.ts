import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { ApiEvent } from '../../../main/api';
import type { ApiBackend, ApiHandlers } from '../../../main/api-handlers';
import { checkPageAccess, checkSocketAccess } from '../../../main/host/access';
import { WebHost } from '../../../main/host/server';
import { PortholeError } from '../../../main/errors';
import { tempDir } from '../../cluster/fixture';

const token = 'x'.repeat(32);

test('pages need our Host, not the token; a wrong token and other origins are refused', () => {
  const ok = { host: '127.0.0.1:8080', queryToken: token };
  assert.equal(checkPageAccess(ok, token, 8080).allowed, true);
  assert.equal(checkPageAccess({ ...ok, queryToken: null }, token, 8080).allowed, true);
  assert.match(JSON.stringify(checkPageAccess({ ...ok, queryToken: 'y'.repeat(32) }, token, 8080)), /earlier `porthole serve`/);
  assert.equal(checkPageAccess({ ...ok, host: 'evil.example:8080' }, token, 8080).allowed, false);
  assert.equal(checkPageAccess({ ...ok, origin: 'http://evil.example' }, token, 8080).allowed, false);
});

test('the Api socket needs our Host, our Origin and the token', () => {
  const ok = { host: 'localhost:8080', origin: 'http://localhost:8080', queryToken: token };
  assert.equal(checkSocketAccess(ok, token, 8080).allowed, true);
  assert.equal(checkSocketAccess({ ...ok, origin: undefined }, token, 8080).allowed, false);
  assert.equal(checkSocketAccess({ ...ok, origin: 'http://127.0.0.1:9999' }, token, 8080).allowed, false);
  assert.equal(checkSocketAccess({ ...ok, host: 'rebound.example:8080' }, token, 8080).allowed, false);
  assert.equal(checkSocketAccess({ ...ok, queryToken: null }, token, 8080).allowed, false);
});

function fakeBackend(): ApiBackend & { push(event: ApiEvent): void } {
  const listeners = new Set<(e: ApiEvent) => void>();
  const handlers = {
    'clusters.list': async () => [],
    'clusters.remove': async (name: string) => {
      throw new PortholeError(`There is no cluster named '${name}' to remove`, { field: 'name' });
    },
  } as unknown as ApiHandlers;
  return {
    handlers,
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    snapshot: () => [{ type: 'connection', state: { cluster: 'c', status: 'offline' } }],
    push: (e) => listeners.forEach((l) => l(e)),
  };
}

async function startHost() {
  const dir = tempDir('renderer');
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Porthole</title>');
  await writeFile(join(dir, 'app.js'), 'console.log(1)');
  const backend = fakeBackend();
  const host = new WebHost({ backend, rendererDir: dir, token, port: 0 });
  const url = new URL(await host.listen());
  return { host, backend, port: Number(url.port), url };
}

function openSocket(
  port: number,
  query: string,
  origin?: string,
  cookie?: string,
): Promise<{ ws: WebSocket; messages: unknown[] } | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api${query}`, {
      ...(origin ? { origin } : {}),
      ...(cookie ? { headers: { cookie } } : {}),
    });
    const messages: unknown[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

test('porthole serve: the printed URL opens the page, and no answer sets a cookie', async () => {
  const { host, url, port } = await startHost();
  try {
    assert.equal(url.hostname, '127.0.0.1');
    const answers = [
      await fetch(url),
      await fetch(`http://127.0.0.1:${port}/`),
      await fetch(`http://127.0.0.1:${port}/app.js`),
      await fetch(`http://127.0.0.1:${port}/app.js?token=${token}`),
      await fetch(`http://127.0.0.1:${port}/missing.js?token=${token}`),
      await fetch(`http://127.0.0.1:${port}/?token=wrong`),
    ];
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 200, 404, 403],
    );
    assert.match(answers[0].headers.get('content-security-policy') ?? '', /default-src 'self'/);
    for (const answer of answers) assert.equal(answer.headers.get('set-cookie'), null, `${answer.url} sets no cookie`);
    assert.equal((await fetch(`http://127.0.0.1:${port}/..%2f..%2fetc%2fpasswd`)).status, 404);
  } finally {
    await host.close();
  }
});

test('porthole serve: the Api socket refuses a missing token, a foreign Origin and a cookie in place of the token', async () => {
  const { host, port } = await startHost();
  try {
    const own = `http://127.0.0.1:${port}`;
    assert.equal(await openSocket(port, '', own), 403);
    assert.equal(await openSocket(port, '', own, `porthole_token=${token}`), 403);
    assert.equal(await openSocket(port, `?token=${token}`, 'http://evil.example'), 403);
    assert.equal(await openSocket(port, `?token=${token}`), 403);
  } finally {
    await host.close();
  }
});

test('porthole serve: calls, errors with their field, and pushed events follow the wire format', async () => {
  const { host, backend, port } = await startHost();
  try {
    const opened = await openSocket(port, `?token=${token}`, `http://127.0.0.1:${port}`);
    assert.ok(typeof opened !== 'number');
    const { ws, messages } = opened;
    const next = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => (messages.length >= count ? resolve() : setTimeout(check, 5));
        check();
      });
    await next(1);
    assert.deepEqual(messages[0], { event: { type: 'connection', state: { cluster: 'c', status: 'offline' } } });
    ws.send(JSON.stringify({ id: 1, method: 'clusters.list', args: [] }));
    ws.send(JSON.stringify({ id: 2, method: 'clusters.remove', args: ['nope'] }));
    ws.send(JSON.stringify({ id: 3, method: 'no.such', args: [] }));
    ws.send(JSON.stringify({ id: 4, method: 'clusters.remove', args: [42] }));
    await next(5);
    backend.push({ type: 'promptClosed', id: 'p1' });
    await next(6);
    const byId = (id: number) => messages.find((m) => (m as { id?: number }).id === id);
    assert.deepEqual(byId(1), { id: 1, result: [] });
    assert.deepEqual(byId(2), { id: 2, error: { message: "There is no cluster named 'nope' to remove", field: 'name' } });
    assert.match(JSON.stringify(byId(3)), /not an Api method/);
    assert.match(JSON.stringify(byId(4)), /"field":"0"/);
    assert.deepEqual(messages[5], { event: { type: 'promptClosed', id: 'p1' } });
    ws.close();
  } finally {
    await host.close();
  }
});
