// A viewer's first pixels, as noVNC gets them: the RFB handshake (../agent/rfb-client.ts), then
// ClientInit, ServerInit, and one non-incremental update of the top-left 16×16 in Raw encoding,
// read to its last byte.
import type { Duplex } from 'node:stream';
import { rfbHandshake } from '../agent/rfb-client';

export interface FirstPixels {
  width: number;
  height: number;
  /** Bytes of pixel data in the first rectangle. */
  pixelBytes: number;
}

export async function firstPixels(stream: Duplex, password: string, timeoutMs = 15_000): Promise<FirstPixels> {
  const handshake = await rfbHandshake(stream, stream, password);
  if (!handshake.ok) throw new Error(`the desktop refused the login: ${handshake.failureReason ?? ''}`);
  const read = byteReader(stream, timeoutMs);
  stream.write(Buffer.from([1])); // ClientInit, shared
  const init = await read(24);
  const [width, height, bitsPerPixel] = [init.readUInt16BE(0), init.readUInt16BE(2), init[4]];
  await read(init.readUInt32BE(20)); // the desktop's name
  const setEncodings = Buffer.from([2, 0, 0, 1, 0, 0, 0, 0]); // Raw only
  const [w, h] = [Math.min(16, width), Math.min(16, height)];
  const request = Buffer.alloc(10);
  request.writeUInt8(3, 0);
  request.writeUInt16BE(w, 6);
  request.writeUInt16BE(h, 8);
  stream.write(Buffer.concat([setEncodings, request]));
  const header = await read(4);
  if (header[0] !== 0) throw new Error(`expected a FramebufferUpdate, got message type ${header[0]}`);
  const rect = await read(12);
  const pixelBytes = rect.readUInt16BE(4) * rect.readUInt16BE(6) * (bitsPerPixel / 8);
  await read(pixelBytes);
  return { width, height, pixelBytes };
}

/** Reads exact byte counts from the data that comes after the handshake. */
function byteReader(stream: Duplex, timeoutMs: number): (n: number) => Promise<Buffer> {
  let buffered = Buffer.alloc(0);
  let waiting: (() => void) | undefined;
  stream.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    waiting?.();
  });
  return async (n) => {
    const deadline = Date.now() + timeoutMs;
    while (buffered.length < n) {
      if (Date.now() > deadline) throw new Error(`no ${n} bytes from the desktop within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        waiting = resolve;
        setTimeout(resolve, 100);
      });
    }
    const out = buffered.subarray(0, n);
    buffered = buffered.subarray(n);
    return out;
  };
}
