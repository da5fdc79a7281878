import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { DEFAULT_SERVE_PORT, SERVE_PORT_FALLBACKS, listenOnServePort } from '../../../main/host/serve-port';

async function holding(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

const closing = (servers: Server[]) => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));

/** A base port whose fallbacks are very likely free: one the system just gave, so tests never meet a real serve on the default. */
async function freeBase(): Promise<number> {
  const probe = await holding(0);
  const { port } = probe.address() as { port: number };
  await closing([probe]);
  return port;
}

/**
 * Holds `count` ports in a row from one the system just gave; tries other starts while one of
 * them is in use (the system hands ports out in that range to other programs too).
 */
async function holdingRange(count: number): Promise<{ base: number; blockers: Server[] }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = await freeBase();
    const blockers: Server[] = [];
    try {
      for (let port = base; port < base + count; port++) blockers.push(await holding(port));
      return { base, blockers };
    } catch {
      await closing(blockers);
    }
  }
  throw new Error(`found no ${count} free ports in a row`);
}

test('the default port is the same every run and below the ports the system hands out for outgoing connections', () => {
  assert.equal(DEFAULT_SERVE_PORT, 27300);
  assert.ok(DEFAULT_SERVE_PORT + SERVE_PORT_FALLBACKS < 32768);
});

test('serve listens on its preferred port, and on the same one again after a restart (History belongs to the port)', async () => {
  const preferred = await freeBase();
  const first = createServer();
  const chosen = await listenOnServePort(first, '127.0.0.1', { preferred });
  await closing([first]);
  assert.deepEqual(chosen, { port: preferred });
  const second = createServer();
  try {
    assert.deepEqual(await listenOnServePort(second, '127.0.0.1', { preferred }), { port: preferred });
  } finally {
    await closing([second]);
  }
});

test('when the preferred port is taken, serve takes the next and says why History may differ', async () => {
  const preferred = await freeBase();
  const blocker = await holding(preferred);
  const server = createServer();
  try {
    const chosen = await listenOnServePort(server, '127.0.0.1', { preferred });
    assert.equal(chosen.port, preferred + 1);
    assert.match(chosen.note ?? '', new RegExp(`port ${preferred} is taken.*on ${preferred + 1}; History belongs to the port`));
  } finally {
    await closing([blocker, server]);
  }
});

test('when every usual port is taken, serve takes a random one and says History will not survive a restart', async () => {
  const { base: preferred, blockers } = await holdingRange(SERVE_PORT_FALLBACKS + 1);
  const server = createServer();
  try {
    const chosen = await listenOnServePort(server, '127.0.0.1', { preferred });
    assert.ok(chosen.port < preferred || chosen.port > preferred + SERVE_PORT_FALLBACKS, `got ${chosen.port}`);
    assert.match(chosen.note ?? '', /all taken.*random: History kept on it will not be there after a restart.*--port/);
  } finally {
    await closing([...blockers, server]);
  }
});

test('a port a person gave is used alone: taken, it is an error, not another port', async () => {
  const blocker = await holding(0);
  const { port } = blocker.address() as { port: number };
  const server = createServer();
  try {
    await assert.rejects(listenOnServePort(server, '127.0.0.1', { requested: port }), { code: 'EADDRINUSE' });
  } finally {
    await closing([blocker]);
  }
});
