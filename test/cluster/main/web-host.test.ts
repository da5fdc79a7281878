// `porthole serve` as built (dist/main/cli.cjs), the way a person runs it: it prints a URL
// with a token; the page is served without it and sets no cookie, while the Api refuses a
// missing or wrong token and other origins.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { projectRoot, tempDir } from './harness';

const cli = join(projectRoot, 'dist/main/cli.cjs');
let server: ChildProcess | null = null;
let url: URL;

before(async () => {
  assert.ok(existsSync(cli), `${cli} is not built: run node build/bundle.mjs (npm run build)`);
  const home = tempDir('serve');
  server = spawn(process.execPath, [cli, 'serve', '--port', '0'], {
    env: { ...process.env, PORTHOLE_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  url = await new Promise<URL>((resolve, reject) => {
    let output = '';
    server!.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (match) resolve(new URL(match[0]));
    });
    server!.on('close', (code) => reject(new Error(`porthole serve exited (${code}): ${output}`)));
  });
});

after(() => {
  server?.kill('SIGTERM');
});

function socket(path: string, origin?: string): Promise<number | WebSocket> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${url.port}${path}`, origin ? { origin } : {});
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

test('the printed URL is on 127.0.0.1 and opens the app', async () => {
  assert.equal(url.hostname, '127.0.0.1');
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<div id="root">/);
});

test('no answer carries a cookie, with the token or without', async () => {
  const pages = [await fetch(url), await fetch(`http://127.0.0.1:${url.port}/`), await fetch(`http://127.0.0.1:${url.port}/app.js`)];
  assert.deepEqual(
    pages.map((page) => page.status),
    [200, 200, 200],
  );
  for (const page of pages) assert.equal(page.headers.get('set-cookie'), null, `${page.url} sets no cookie`);
});

test('without the token the Api is refused, and an address with a wrong one says so', async () => {
  const stale = await fetch(`http://127.0.0.1:${url.port}/?token=wrong`);
  assert.equal(stale.status, 403);
  assert.match(await stale.text(), /earlier `porthole serve`/);
  assert.equal(await socket('/api', url.origin), 403);
  assert.equal(await socket('/api?token=wrong', url.origin), 403);
});

test('from another origin, the Api is refused even with the token', async () => {
  const token = url.searchParams.get('token');
  assert.equal(await socket(`/api?token=${token}`, 'http://evil.example'), 403);
  assert.equal(await socket(`/api?token=${token}`, 'http://127.0.0.1:1'), 403);
  assert.equal((await fetch(url, { headers: { origin: 'http://evil.example' } })).status, 403);
});

test('with the token and our own origin, the Api answers', async () => {
  const ws = await socket(`/api?token=${url.searchParams.get('token')}`, url.origin);
  assert.ok(ws instanceof WebSocket);
  const answer = await new Promise<unknown>((resolve) => {
    ws.on('message', (d) => {
      const message = JSON.parse(d.toString());
      if (message.id === 1) resolve(message);
    });
    ws.send(JSON.stringify({ id: 1, method: 'clusters.list', args: [] }));
  });
  assert.deepEqual(answer, { id: 1, result: [] });
  ws.close();
});

// ssh2's C++ AES-GCM carries the desktop stream for a third less CPU per GiB (npm run bench).
const sshCryptoBuilt = existsSync(join(projectRoot, 'node_modules/ssh2/lib/protocol/crypto/build/Release/sshcrypto.node'));
test(
  "the web host decrypts SSH with ssh2's native AES-GCM when npm ci could build it",
  { skip: !sshCryptoBuilt && "npm ci could not build ssh2's native crypto here (node-gyp, g++ or Node's headers missing)" },
  () => {
    const mapped = readFileSync(`/proc/${server!.pid}/maps`, 'utf8');
    assert.match(mapped, /dist\/main\/crypto\/build\/Release\/sshcrypto\.node/);
  },
);
