// patches/@novnc+novnc+1.7.0.patch rewrites how noVNC's Tight decoder turns palette rectangles
// (two colours as a bitmap, up to 256 as indexes) into pixels. Rectangles as Xvnc sends them, of
// widths that are not a multiple of 8, must come out pixel for pixel in the colours sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgb = [number, number, number];

interface TightDecoder {
  decodeRect(x: number, y: number, width: number, height: number, sock: ByteQueue, display: Canvas, depth: number): boolean;
}

/** The calls the decoder makes on noVNC's Websock, over bytes received all at once. */
class ByteQueue {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  rQwait(_what: string, count: number): boolean {
    return this.bytes.length - this.at < count;
  }
  rQpeek8(): number {
    return this.bytes[this.at];
  }
  rQshift8(): number {
    return this.bytes[this.at++];
  }
  rQskipBytes(count: number): void {
    this.at += count;
  }
  rQshiftTo(target: Uint8Array, count: number): void {
    target.set(this.bytes.subarray(this.at, this.at + count));
    this.at += count;
  }
  rQshiftBytes(count: number): Uint8Array {
    this.at += count;
    return this.bytes.slice(this.at - count, this.at);
  }
  get left(): number {
    return this.bytes.length - this.at;
  }
}

/** noVNC's Display as far as the decoder uses it: the RGBA pixels of each rectangle blitted. */
class Canvas {
  blits: { width: number; height: number; rgba: number[] }[] = [];
  blitImage(_x: number, _y: number, width: number, height: number, arr: Uint8Array, offset: number): void {
    this.blits.push({ width, height, rgba: Array.from(arr.subarray(offset, offset + width * height * 4)) });
  }
}

async function tightDecoder(): Promise<TightDecoder> {
  // noVNC's logging reads window.console as it loads: Node's globals stand in for the page's.
  (globalThis as { window?: unknown }).window ??= globalThis;
  // By path: the package's exports name only core/rfb.js.
  const file = join(__dirname, '../../../node_modules/@novnc/novnc/core/decoders/tight.js');
  const { default: Decoder } = (await import(pathToFileURL(file).href)) as { default: new () => TightDecoder };
  return new Decoder();
}

/** A Tight basic rectangle with the palette filter, its data compressed on zlib stream 0 (from 12 bytes on, as Tight says). */
function paletteRect(palette: Rgb[], packed: Uint8Array): Uint8Array {
  // Compression control: stream 0 reset (each rectangle here is a zlib stream of its own), basic
  // compression on stream 0, a filter id follows; filter 1: palette; its size and colours.
  const head = [0x41, 1, palette.length - 1, ...palette.flat()];
  if (packed.length < 12) return Uint8Array.from([...head, ...packed]);
  const compressed = deflateSync(packed);
  // Tight's compact length: 7 bits a byte, low bits first (these rectangles need at most two).
  const length: number[] = [];
  for (let n = compressed.length; ; n >>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return Uint8Array.from([...head, ...length, ...compressed]);
}

function expectedRgba(palette: Rgb[], indexes: number[]): number[] {
  return indexes.flatMap((i) => [...palette[i], 255]);
}

test('a two-colour rectangle (a bitmap, rows padded to whole bytes) is drawn in its two colours', async () => {
  const palette: Rgb[] = [
    [10, 20, 30],
    [200, 150, 100],
  ];
  const width = 13;
  const height = 7;
  const indexes = Array.from({ length: width * height }, (_, i) => ((i * 7 + (i >> 2)) % 3 === 0 ? 1 : 0));
  const packed = new Uint8Array(Math.ceil(width / 8) * height);
  indexes.forEach((bit, i) => {
    const x = i % width;
    const y = Math.floor(i / width);
    packed[y * Math.ceil(width / 8) + (x >> 3)] |= bit << (7 - (x & 7));
  });
  const decoder = await tightDecoder();
  const sock = new ByteQueue(paletteRect(palette, packed));
  const canvas = new Canvas();
  assert.equal(decoder.decodeRect(5, 6, width, height, sock, canvas, 24), true);
  assert.equal(sock.left, 0);
  assert.deepEqual(canvas.blits, [{ width, height, rgba: expectedRgba(palette, indexes) }]);
});

test('a rectangle of up to 256 colours is drawn with the colour each pixel indexes', async () => {
  const palette: Rgb[] = Array.from({ length: 256 }, (_, i) => [i, 255 - i, (i * 37) % 256]);
  const width = 21;
  const height = 5;
  const indexes = Array.from({ length: width * height }, (_, i) => (i * 97) % 256);
  const decoder = await tightDecoder();
  const canvas = new Canvas();
  // Twice on the same decoder: the second rectangle's palette replaces the first's.
  const smaller: Rgb[] = palette.slice(0, 3).reverse();
  const smallIndexes = indexes.map((i) => i % 3);
  const sock = new ByteQueue(
    Uint8Array.from([...paletteRect(palette, Uint8Array.from(indexes)), ...paletteRect(smaller, Uint8Array.from(smallIndexes))]),
  );
  assert.equal(decoder.decodeRect(0, 0, width, height, sock, canvas, 24), true);
  assert.equal(decoder.decodeRect(0, 0, width, height, sock, canvas, 24), true);
  assert.equal(sock.left, 0);
  assert.deepEqual(canvas.blits, [
    { width, height, rgba: expectedRgba(palette, indexes) },
    { width, height, rgba: expectedRgba(smaller, smallIndexes) },
  ]);
});
