// The view-only filter on a watcher's RFB stream (agent/share-rfb-filter.ts). The stream below is
// composed in the order noVNC 1.x sends its messages after ClientInit (SetPixelFormat,
// SetEncodings with its list, a full FramebufferUpdateRequest, ClientFence, EnableContinuousUpdates),
// then what a person's hands add: pointer, keys, clipboard, xvp, a resize.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientMessageFilter, MAX_DROPPED_CUT_TEXT } from '../../../agent/share-rfb-filter';

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

const setPixelFormat = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from([32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0])]);
// noVNC's encodings: Tight, ZRLE, Hextile, Raw, CopyRect and its pseudo-encodings (negative).
const encodings = [7, 16, 5, 0, 1, -314, -312, -309, -308, -307, -261, -224, -223, -258];
const setEncodings = Buffer.concat([Buffer.from([2, 0]), u16(encodings.length), ...encodings.map(u32)]);
const updateRequest = Buffer.concat([Buffer.from([3, 0]), u16(0), u16(0), u16(1280), u16(800)]);
const clientFence = Buffer.concat([Buffer.from([248, 0, 0, 0]), u32(3), Buffer.from([4]), Buffer.from('abcd')]);
const continuousUpdates = Buffer.concat([Buffer.from([150, 1]), u16(0), u16(0), u16(1280), u16(800)]);
const viewing = [setPixelFormat, setEncodings, updateRequest, clientFence, continuousUpdates];

const pointer = Buffer.from([5, 1, 0, 10, 0, 20]);
const keyDown = Buffer.concat([Buffer.from([4, 1, 0, 0]), u32(0x61)]);
const keyUp = Buffer.concat([Buffer.from([4, 0, 0, 0]), u32(0x61)]);
const cutText = Buffer.concat([Buffer.from([6, 0, 0, 0]), u32(5), Buffer.from('hello')]);
// The extended clipboard's caps message: a negative length, its size the absolute value.
const extendedCutText = Buffer.concat([Buffer.from([6, 0, 0, 0]), u32(-8), u32(0x1000001), u32(1024)]);
const xvpReboot = Buffer.from([250, 0, 1, 3]);
const setDesktopSize = Buffer.concat([Buffer.from([251, 0]), u16(640), u16(480), Buffer.from([1, 0]), Buffer.alloc(16)]);
const acting = [pointer, keyDown, keyUp, cutText, extendedCutText, xvpReboot, setDesktopSize];

/** Viewing and acting messages interleaved, as a watcher that clicks and types while it watches. */
const recorded = Buffer.concat([...viewing, ...acting, updateRequest, keyDown, keyUp, updateRequest]);
const expected = Buffer.concat([...viewing, updateRequest, updateRequest]);

test("passes a viewer's messages byte for byte and drops every key, click, clipboard, xvp and resize", () => {
  const filter = new ClientMessageFilter();
  assert.deepEqual(filter.push(recorded), expected);
  assert.deepEqual(filter.dropped, [
    'PointerEvent',
    'KeyEvent',
    'KeyEvent',
    'ClientCutText',
    'ClientCutText',
    'xvp',
    'SetDesktopSize',
    'KeyEvent',
    'KeyEvent',
  ]);
});

test('gives the same result however the stream is cut into chunks', () => {
  for (const size of [1, 2, 3, 7, 13]) {
    const filter = new ClientMessageFilter();
    const out: Buffer[] = [];
    for (let at = 0; at < recorded.length; at += size) out.push(filter.push(recorded.subarray(at, at + size)));
    assert.deepEqual(Buffer.concat(out), expected, `chunks of ${size}`);
  }
});

test('holds back a message until it is whole: half a KeyEvent is neither passed nor lost', () => {
  const filter = new ClientMessageFilter();
  assert.equal(filter.push(keyDown.subarray(0, 3)).length, 0);
  assert.deepEqual(filter.push(Buffer.concat([keyDown.subarray(3), updateRequest])), updateRequest);
});

test('closes on a message it does not know, since whatever follows could be input', () => {
  const filter = new ClientMessageFilter();
  assert.throws(() => filter.push(Buffer.concat([updateRequest, Buffer.from([255, 0, 0, 0, 0, 0, 0, 0])])), /message type 255/);
});

test('closes on clipboard text too big to read through, and on an absurd encodings count', () => {
  assert.throws(
    () => new ClientMessageFilter().push(Buffer.concat([Buffer.from([6, 0, 0, 0]), u32(MAX_DROPPED_CUT_TEXT + 1)])),
    /clipboard text; a view-only share takes none/,
  );
  assert.throws(() => new ClientMessageFilter().push(Buffer.from([2, 0, 0xff, 0xff])), /65535 encodings/);
});
