import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { ViewerBridge } from '../../../main/tunnels/bridge';
import { ViewerTokens } from '../../../main/tunnels/viewer-tokens';

test('one token per session, shared by its viewers, and nothing for a wrong token', () => {
  const tokens = new ViewerTokens();
  const a = tokens.issue({ cluster: 'c', sessionId: 's1' });
  assert.equal(tokens.issue({ cluster: 'c', sessionId: 's1' }), a);
  assert.notEqual(tokens.issue({ cluster: 'c', sessionId: 's2' }), a);
  assert.deepEqual(tokens.resolve(a), { cluster: 'c', sessionId: 's1' });
  assert.equal(tokens.resolve('guess'), null);
  tokens.revoke({ cluster: 'c' });
  assert.equal(tokens.resolve(a), null);
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
  const bridge = new ViewerBridge(async (target) => {
    opened.push(`${target.cluster}/${target.sessionId}`);
    return echoRelay();
  });
  await bridge.listen();
  try {
    const url = bridge.urlFor({ cluster: 'c', sessionId: 's1' });
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+\/viewer\?token=/);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(url.replace(/token=.*/, 'token=wrong'));
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
    assert.equal(refused, 403);
    const talk = (text: string) => new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(url);
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
  const bridge = new ViewerBridge(async () => {
    await new Promise((r) => setTimeout(r, 100));
    return echoRelay();
  });
  await bridge.listen();
  try {
    const url = bridge.urlFor({ cluster: 'c', sessionId: 's1' });
    const answer = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(url);
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
