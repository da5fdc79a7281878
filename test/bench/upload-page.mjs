// The page's side of an upload (renderer/transport/upload-socket.ts's wire) for
// test/bench/file-upload.bench.ts, in a process of its own as the page is (a browser's): reads the
// file in 256 KiB frames, keeps at most 8 MiB beyond what the cluster acknowledged, and prints
// one line of JSON: the name it was saved as and the milliseconds from the socket's opening to that.
//   node upload-page.mjs <ws url> <origin> <file>
import { open } from 'node:fs/promises';
import { WebSocket } from 'ws';

const [url, origin, file] = process.argv.slice(2);
const FRAME_BYTES = 256 * 1024;
const WINDOW_BYTES = 8 * 1024 * 1024;

const handle = await open(file);
const size = (await handle.stat()).size;
const ws = new WebSocket(url, { origin, perMessageDeflate: false });
let written = 0;
let wake = null;
let openedAt = 0;

async function send() {
  for (let offset = 0; offset < size; offset += FRAME_BYTES) {
    while (offset - written > WINDOW_BYTES) await new Promise((resolve) => (wake = resolve));
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(FRAME_BYTES), 0, FRAME_BYTES, offset);
    ws.send(buffer.subarray(0, bytesRead));
  }
  ws.send(JSON.stringify({ end: true }));
}

ws.on('open', () => {
  openedAt = performance.now();
  ws.send(JSON.stringify({ name: 'upload.bin', size }));
});
ws.on('message', (data) => {
  const message = JSON.parse(data.toString());
  if (message.ready) void send();
  else if (message.written !== undefined) {
    written = message.written;
    wake?.();
  } else {
    process.stdout.write(JSON.stringify({ ...message, ms: performance.now() - openedAt }) + '\n');
    ws.close();
    void handle.close();
    process.exitCode = message.savedAs ? 0 : 1;
  }
});
ws.on('error', (error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
