import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { PassThrough, Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { ViewerBridge } from '../../../main/viewer-bridge/bridge';
import { VIEWER_TOKEN_TTL_MS, ViewerTokens } from '../../../main/viewer-bridge/viewer-tokens';

/** The page the viewer runs in (the web host's); the bridge accepts streams from it alone. */
const PAGE = 'http://127.0.0.1:8123';

function bridgeFor(...args: ConstructorParameters<typeof ViewerBridge>): ViewerBridge {
  const bridge = new ViewerBridge(...args);
  bridge.allowPageOrigins([PAGE]);
  return bridge;
}

/** Opens a viewer WebSocket as our page would; resolves with the refusal's status if refused. */
function refusal(url: string, headers: { origin?: string; host?: string } = { origin: PAGE }): Promise<number | 'opened'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, {
      ...(headers.origin ? { origin: headers.origin } : {}),
      ...(headers.host ? { headers: { host: headers.host } } : {}),
    });
    ws.on('open', () => {
      ws.close();
      resolve('opened');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
}

test('a token is new at every issue, names its session, and opens nothing a second time', () => {
  const tokens = new ViewerTokens();
  const a = tokens.issue({ cluster: 'c', sessionId: 's1' });
  const b = tokens.issue({ cluster: 'c', sessionId: 's1' });
  assert.notEqual(a, b);
  assert.deepEqual(tokens.take(a), { cluster: 'c', sessionId: 's1' });
  assert.equal(tokens.take(a), null, 'used up');
  assert.equal(tokens.take('guess'), null);
  tokens.revoke({ cluster: 'c' });
  assert.equal(tokens.take(b), null, 'revoked with its cluster');
});

test('a token is void once its time is up', () => {
  let now = 1_000_000;
  const tokens = new ViewerTokens({ now: () => now });
  const early = tokens.issue({ cluster: 'c', sessionId: 's1' });
  const late = tokens.issue({ cluster: 'c', sessionId: 's1' });
  now += VIEWER_TOKEN_TTL_MS - 1;
  assert.deepEqual(tokens.take(early), { cluster: 'c', sessionId: 's1' });
  now += 1;
  assert.equal(tokens.take(late), null);
});

test('the bridge refuses a used token and an expired one', async () => {
  let now = 1_000_000;
  const bridge = bridgeFor(async () => echoRelay(), { tokens: new ViewerTokens({ now: () => now }) });
  await bridge.listen();
  try {
    const url = bridge.urlFor({ cluster: 'c', sessionId: 's1' });
    assert.equal(await refusal(url), 'opened');
    assert.equal(await refusal(url), 403, 'a second use');
    const stale = bridge.urlFor({ cluster: 'c', sessionId: 's1' });
    now += VIEWER_TOKEN_TTL_MS;
    assert.equal(await refusal(stale), 403, 'after its time');
  } finally {
    await bridge.close();
  }
});

test('the bridge refuses another Origin, a missing one and a foreign Host, even with a fresh token', async () => {
  const logged: string[] = [];
  const bridge = bridgeFor(async () => echoRelay(), { log: (line) => logged.push(line) });
  await bridge.listen();
  try {
    const port = new URL(bridge.urlFor({ cluster: 'c', sessionId: 's1' })).port;
    assert.equal(await refusal(bridge.urlFor({ cluster: 'c', sessionId: 's1' }), { origin: 'http://evil.example' }), 403);
    assert.equal(await refusal(bridge.urlFor({ cluster: 'c', sessionId: 's1' }), { origin: 'http://127.0.0.1:9' }), 403);
    assert.equal(await refusal(bridge.urlFor({ cluster: 'c', sessionId: 's1' }), {}), 403);
    assert.equal(await refusal(bridge.urlFor({ cluster: 'c', sessionId: 's1' }), { origin: PAGE, host: `rebound.example:${port}` }), 403);
    assert.deepEqual(logged, [
      'refused a viewer stream: foreign or missing Origin',
      'refused a viewer stream: foreign or missing Origin',
      'refused a viewer stream: foreign or missing Origin',
      'refused a viewer stream: wrong Host',
    ]);
    assert.equal(await refusal(bridge.urlFor({ cluster: 'c', sessionId: 's1' }), { origin: PAGE, host: `localhost:${port}` }), 'opened');
  } finally {
    await bridge.close();
  }
});

/** A relay that echoes what it gets, upper-cased, like a tiny desktop server. */
function echoRelay(): Duplex {
  const input = new PassThrough();
  const output = new PassThrough();
  input.on('data', (d: Buffer) => output.write(Buffer.from(d.toString().toUpperCase())));
  input.on('end', () => output.end());
  return Duplex.from({ writable: input, readable: output });
}

test('the bridge listens on loopback, refuses a missing token, and joins each WebSocket to its own relay', async () => {
  const opened: string[] = [];
  const bridge = bridgeFor(async (target) => {
    opened.push(`${target.cluster}/${target.sessionId}`);
    return echoRelay();
  });
  await bridge.listen();
  try {
    const url = bridge.urlFor({ cluster: 'c', sessionId: 's1' });
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+\/viewer\?token=/);
    assert.equal(await refusal(url.replace(/token=.*/, 'token=wrong')), 403);
    const talk = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const ws = new WebSocket(bridge.urlFor({ cluster: 'c', sessionId: 's1' }), { origin: PAGE });
        ws.on('open', () => ws.send(Buffer.from(text)));
        ws.on('message', (d) => {
          resolve(d.toString());
          ws.close();
        });
        ws.on('error', reject);
      });
    assert.deepEqual(await Promise.all([talk('one'), talk('two')]), ['ONE', 'TWO']);
    assert.deepEqual(opened, ['c/s1', 'c/s1']);
  } finally {
    await bridge.close();
  }
});

test('bytes a viewer sends before its relay is open are kept, not dropped', async () => {
  const bridge = bridgeFor(async () => {
    await new Promise((r) => setTimeout(r, 100));
    return echoRelay();
  });
  await bridge.listen();
  try {
    const url = bridge.urlFor({ cluster: 'c', sessionId: 's1' });
    const answer = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(url, { origin: PAGE });
      ws.on('open', () => ws.send(Buffer.from('early')));
      ws.on('message', (d) => {
        resolve(d.toString());
        ws.close();
      });
      ws.on('error', reject);
    });
    assert.equal(answer, 'EARLY');
  } finally {
    await bridge.close();
  }
});

/** A relay like an exec channel: stdout, stderr and an exit code, closed after the exit. */
function scriptedRelay(script: (relay: { stdout: PassThrough; stderr: PassThrough; exit(code: number): void }) => void): Duplex {
  const input = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const duplex = Duplex.from({ writable: input, readable: stdout }) as Duplex & { stderr: PassThrough };
  duplex.stderr = stderr;
  setTimeout(() =>
    script({
      stdout,
      stderr,
      exit(code) {
        duplex.emit('exit', code);
        stdout.end();
      },
    }),
  );
  return duplex;
}

/** Connects, collects every byte, and resolves with them and how the server closed. */
function viewerSession(url: string): Promise<{ bytes: string; code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin: PAGE });
    let bytes = '';
    ws.on('message', (d) => (bytes += d.toString()));
    ws.on('close', (code, reason) => resolve({ bytes, code, reason: reason.toString() }));
    ws.on('error', reject);
  });
}

test('a relay that fails right after connect closes the viewer with its own words, not "Premature close"', async () => {
  const logged: string[] = [];
  const bridge = bridgeFor(
    async () =>
      scriptedRelay((r) => {
        r.stderr.write('relay: session 20261124-x has no desktop server yet\n');
        r.exit(3);
      }),
    { log: (line) => logged.push(line) },
  );
  await bridge.listen();
  try {
    const end = await viewerSession(bridge.urlFor({ cluster: 'c', sessionId: 's1' }));
    assert.equal(end.code, 1011);
    assert.equal(end.reason, 'relay: session 20261124-x has no desktop server yet');
    assert.deepEqual(logged, ['viewer stream of c/s1 ended: relay: session 20261124-x has no desktop server yet']);
  } finally {
    await bridge.close();
  }
});

test("the desktop server's last bytes reach the viewer before a clean close", async () => {
  const logged: string[] = [];
  const refusal = 'RFB 003.008\n' + 'x'.repeat(200_000);
  const bridge = bridgeFor(
    async () =>
      scriptedRelay((r) => {
        r.stdout.write(refusal);
        r.exit(0);
      }),
    { log: (line) => logged.push(line) },
  );
  await bridge.listen();
  try {
    const end = await viewerSession(bridge.urlFor({ cluster: 'c', sessionId: 's1' }));
    assert.equal(end.bytes.length, refusal.length);
    assert.equal(end.code, 1000);
    assert.deepEqual(logged, []);
  } finally {
    await bridge.close();
  }
});

test('a viewer that sends a broken frame is closed, and the bridge keeps serving', async () => {
  const bridge = bridgeFor(async () => echoRelay());
  await bridge.listen();
  try {
    const url = new URL(bridge.urlFor({ cluster: 'c', sessionId: 's1' }));
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(url.port), '127.0.0.1', () => {
        socket.write(
          `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: 127.0.0.1:${url.port}\r\nOrigin: ${PAGE}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      socket.once('data', () => socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff])));
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const answer = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(bridge.urlFor({ cluster: 'c', sessionId: 's1' }), { origin: PAGE });
      ws.on('open', () => ws.send(Buffer.from('still here')));
      ws.on('message', (d) => {
        resolve(d.toString());
        ws.close();
      });
      ws.on('error', reject);
    });
    assert.equal(answer, 'STILL HERE');
  } finally {
    await bridge.close();
  }
});

/** A desktop speaking RFB 3.8 without authentication: it answers a viewer's handshake, then plays `afterInit`. */
function rfbDesktopRelay(afterInit: (out: PassThrough) => void): Duplex {
  const input = new PassThrough();
  const output = new PassThrough();
  const serverInit = Buffer.concat([
    Buffer.from([0, 64, 0, 64, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0]),
    Buffer.alloc(3),
    Buffer.alloc(4),
  ]);
  const answers = [Buffer.from([1, 1]), Buffer.alloc(4), serverInit];
  output.write('RFB 003.008\n');
  input.on('data', () => {
    const answer = answers.shift();
    if (answer) output.write(answer);
    if (answers.length === 0 && answer) afterInit(output);
  });
  return Duplex.from({ writable: input, readable: output });
}

/** A viewer's side of that handshake (version, None, ClientInit); resolves with what came after ServerInit, a WebSocket message each, once `done` says so (a count: that many messages). */
function rfbViewer(url: string, done: number | ((after: Buffer[]) => boolean)): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin: PAGE });
    const replies = [Buffer.from('RFB 003.008\n'), Buffer.from([1]), Buffer.from([1])];
    let handshake = 4;
    const after: Buffer[] = [];
    ws.on('message', (data: Buffer) => {
      if (handshake > 0) {
        handshake--;
        const reply = replies.shift();
        if (reply) ws.send(reply);
        return;
      }
      after.push(data);
      if (typeof done === 'number' ? after.length === done : done(after)) {
        resolve(after);
        ws.close();
      }
    });
    ws.on('error', reject);
  });
}

/** An update of one Tight JPEG rectangle of `size` bytes. */
function jpegUpdate(size: number): Buffer {
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 16, 0, 16, 0, 0, 0, 7, 0x90, (size & 0x7f) | 0x80, size >> 7]);
  return Buffer.concat([header, Buffer.alloc(size, 0xab)]);
}

test('an update that arrives in pieces over several turns reaches the viewer as one message, the next one on its own', async () => {
  const first = jpegUpdate(3_000);
  const second = jpegUpdate(200);
  const bridge = bridgeFor(async () =>
    rfbDesktopRelay((out) => {
      const pieces = [first.subarray(0, 10), first.subarray(10, 1_500), first.subarray(1_500), second];
      const next = () => {
        out.write(pieces.shift());
        if (pieces.length) setTimeout(next, 10);
      };
      next();
    }),
  );
  await bridge.listen();
  try {
    const received = await rfbViewer(bridge.urlFor({ cluster: 'c', sessionId: 's1' }), 2);
    assert.deepEqual(received, [first, second]);
  } finally {
    await bridge.close();
  }
});

test('a desktop that stops inside an update does not hold back what it sent', async () => {
  const update = jpegUpdate(3_000);
  const bridge = bridgeFor(async () => rfbDesktopRelay((out) => out.write(update.subarray(0, 1_000))));
  await bridge.listen();
  try {
    const [received] = await rfbViewer(bridge.urlFor({ cluster: 'c', sessionId: 's1' }), 1);
    assert.deepEqual(received, update.subarray(0, 1_000));
  } finally {
    await bridge.close();
  }
});

test('a long update goes to the viewer in parts as it comes, not held back whole', async () => {
  // One Raw rectangle of 400×400 pixels, 4 bytes each (the pixel format of ServerInit)
  const update = Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0x01, 0x90, 0x01, 0x90, 0, 0, 0, 0]), Buffer.alloc(400 * 400 * 4, 7)]);
  const bridge = bridgeFor(async () =>
    rfbDesktopRelay((out) => {
      let at = 0;
      const next = () => {
        out.write(update.subarray(at, (at += 64 * 1024)));
        if (at < update.length) setTimeout(next, 2);
      };
      next();
    }),
  );
  await bridge.listen();
  try {
    const parts = await rfbViewer(
      bridge.urlFor({ cluster: 'c', sessionId: 's1' }),
      (after) => Buffer.concat(after).length >= update.length,
    );
    assert.ok(parts.length >= 2, `the update came as ${parts.length} message`);
    assert.deepEqual(Buffer.concat(parts), update);
  } finally {
    await bridge.close();
  }
});
