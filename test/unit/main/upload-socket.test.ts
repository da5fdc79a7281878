// The upload socket's wire (main/files/upload-socket.ts) on the viewer bridge: admitted only with
// an upload token from our page (a viewer token opens no upload, nor the reverse), the bytes
// reach the transfer in order with the cluster's progress sent back, and a page that sends more
// than the file's size, or closes early, gets its upload stopped. The cluster side is a named
// stand-in (the SFTP layer has its own cluster tests): it collects the bytes it is given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { WebSocket } from 'ws';
import type { SessionFileTransfers } from '../../../main/files/session-file-transfers';
import { UploadEndpoint } from '../../../main/files/upload-socket';
import { ViewerBridge } from '../../../main/viewer-bridge/bridge';

const PAGE = 'http://127.0.0.1:8123';
const target = { cluster: 'c', sessionId: '20261130-120000-abcde' };

/** Stand-in for the SFTP side: reads the source to its end, reporting progress, and saves under the given name. */
function collectingTransfers() {
  const received: { name: string; subPath: string[]; bytes: Buffer; aborted: boolean }[] = [];
  const transfers = {
    async upload(
      _target: unknown,
      file: { name: string; subPath: string[]; source: Readable },
      progress: (n: number) => void,
      signal: AbortSignal,
    ) {
      const entry = { name: file.name, subPath: file.subPath, bytes: Buffer.alloc(0), aborted: false };
      received.push(entry);
      signal.addEventListener('abort', () => {
        entry.aborted = true;
        file.source.destroy();
      });
      for await (const chunk of file.source) {
        entry.bytes = Buffer.concat([entry.bytes, chunk as Buffer]);
        progress(entry.bytes.length);
      }
      return `${file.name} (saved)`;
    },
  };
  return { received, transfers: transfers as unknown as SessionFileTransfers };
}

async function bridgeWith(transfers: SessionFileTransfers): Promise<ViewerBridge> {
  const bridge = new ViewerBridge(async () => assert.fail('no viewer stream in these tests'), { uploads: new UploadEndpoint(transfers) });
  bridge.allowPageOrigins([PAGE]);
  await bridge.listen();
  return bridge;
}

/** Runs the page's side of the wire with `frames` after the header; resolves with every message main sent. */
function upload(url: string, header: object, frames: (Buffer | object)[], origin = PAGE): Promise<unknown[] | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    const messages: unknown[] = [];
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
    ws.on('open', () => ws.send(JSON.stringify(header)));
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      messages.push(message);
      if (message.ready) for (const frame of frames) ws.send(Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
    });
    ws.on('close', () => resolve(messages));
  });
}

test(
  'a file sent in frames reaches the transfer whole, with progress back, then the name it was saved as',
  { timeout: 10_000 },
  async () => {
    const { received, transfers } = collectingTransfers();
    const bridge = await bridgeWith(transfers);
    try {
      const bytes = randomBytes(1024 * 1024 + 5);
      const frames = [bytes.subarray(0, 256 * 1024), bytes.subarray(256 * 1024, 700_000), bytes.subarray(700_000), { end: true }];
      const messages = await upload(bridge.uploadUrlFor(target), { name: 'a.bin', size: bytes.length, subPath: ['photos'] }, frames);
      assert.deepEqual((messages as object[])[0], { ready: true });
      assert.deepEqual((messages as object[]).at(-2), { written: bytes.length });
      assert.deepEqual((messages as object[]).at(-1), { savedAs: 'a.bin (saved)' });
      assert.equal(received.length, 1);
      assert.deepEqual(received[0].subPath, ['photos']);
      assert.ok(received[0].bytes.equals(bytes));
    } finally {
      await bridge.close();
    }
  },
);

test(
  'only an upload token from our page opens an upload: a viewer token, a used one or another Origin is refused',
  { timeout: 10_000 },
  async () => {
    const { received, transfers } = collectingTransfers();
    const bridge = await bridgeWith(transfers);
    try {
      const header = { name: 'a', size: 0 };
      const viewerToken = new URL(bridge.urlFor(target)).searchParams.get('token');
      const uploadUrl = bridge.uploadUrlFor(target);
      assert.equal(await upload(uploadUrl.replace(/token=.*/, `token=${viewerToken}`), header, []), 403);
      assert.equal(await upload(bridge.uploadUrlFor(target), header, [], 'http://evil.example'), 403);
      await upload(uploadUrl, header, [{ end: true }]);
      assert.equal(await upload(uploadUrl, header, [{ end: true }]), 403, 'used up');
      const uploadToken = new URL(bridge.uploadUrlFor(target)).searchParams.get('token');
      assert.equal(await upload(bridge.urlFor(target).replace(/token=.*/, `token=${uploadToken}`), header, []), 403);
      assert.equal(received.length, 1);
    } finally {
      await bridge.close();
    }
  },
);

test('more bytes than the size, a missing header or an early close stop the upload', { timeout: 10_000 }, async () => {
  const { received, transfers } = collectingTransfers();
  const bridge = await bridgeWith(transfers);
  try {
    const tooMany = await upload(bridge.uploadUrlFor(target), { name: 'b', size: 10 }, [randomBytes(11)]);
    assert.deepEqual((tooMany as object[]).at(-1), { error: 'b: more bytes came than its size, 10' });
    assert.equal(received[0].aborted, true);

    const noHeader = await new Promise<unknown>((resolve) => {
      const ws = new WebSocket(bridge.uploadUrlFor(target), { origin: PAGE });
      ws.on('open', () => ws.send(randomBytes(4)));
      ws.on('message', (data) => resolve(JSON.parse(data.toString())));
    });
    assert.deepEqual(noHeader, { error: 'Send {"name", "size", "subPath"} first, as a text frame of JSON' });

    await new Promise<void>((resolve) => {
      const ws = new WebSocket(bridge.uploadUrlFor(target), { origin: PAGE });
      ws.on('open', () => ws.send(JSON.stringify({ name: 'c', size: 100 })));
      ws.on('message', () => {
        ws.send(randomBytes(10));
        ws.close();
      });
      ws.on('close', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(received.at(-1)?.name, 'c');
    assert.equal(received.at(-1)?.aborted, true);
  } finally {
    await bridge.close();
  }
});
