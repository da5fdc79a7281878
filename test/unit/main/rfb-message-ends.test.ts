import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RfbMessageEnds } from '../../../main/viewer-bridge/rfb-message-ends';

// A desktop's and a viewer's bytes as TigerVNC's Xvnc and noVNC exchange them, built by hand
// (RFC 6143 and the Tight encoding), and where each of the desktop's messages ends.

const u8 = (...bytes: number[]) => Buffer.from(bytes);
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const s32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const bytes = (n: number, fill = 0x5a) => Buffer.alloc(n, fill);
/** Tight's compact length: 7 bits a byte, low first, the third byte whole. */
function compact(length: number): Buffer {
  if (length < 0x80) return u8(length);
  if (length < 0x4000) return u8((length & 0x7f) | 0x80, length >> 7);
  return u8((length & 0x7f) | 0x80, ((length >> 7) & 0x7f) | 0x80, length >> 14);
}
const rect = (x: number, y: number, w: number, h: number, encoding: number, ...data: Buffer[]) =>
  Buffer.concat([u16(x), u16(y), u16(w), u16(h), s32(encoding), ...data]);
const update = (rects: Buffer[], count = rects.length) => Buffer.concat([u8(0, 0), u16(count), ...rects]);
/** 32 bits a pixel, depth 24, true colour, as noVNC asks for (bgr888). */
const PIXEL_FORMAT_32 = Buffer.concat([u8(32, 24, 0, 1), u16(255), u16(255), u16(255), u8(16, 8, 0), bytes(3, 0)]);
const PIXEL_FORMAT_16 = Buffer.concat([u8(16, 16, 0, 1), u16(31), u16(63), u16(31), u8(11, 5, 0), bytes(3, 0)]);

/** The desktop's messages of a session, one Buffer each, after the viewer's handshake (3.8, VNC authentication). */
function desktopMessages(): Buffer[] {
  const name = Buffer.from('porthole:1');
  return [
    Buffer.from('RFB 003.008\n'),
    u8(1, 2), // one security type: VNC authentication
    bytes(16, 0x11), // the challenge
    u32(0), // SecurityResult: OK
    Buffer.concat([u16(1920), u16(1080), PIXEL_FORMAT_32, u32(name.length), name]), // ServerInit
    u8(150), // EndOfContinuousUpdates
    update([
      rect(0, 0, 1920, 1080, -308, u8(1, 0, 0, 0), bytes(16)), // ExtendedDesktopSize, one screen
      rect(0, 0, 0, 0, -307, u32(4), Buffer.from('desk')), // DesktopName
      rect(0, 0, 0, 0, -316), // ExtendedMouseButtons
      rect(0, 0, 0, 0, -258), // QEMU extended key events
      rect(2, 3, 16, 16, -239, bytes(16 * 16 * 4), bytes(2 * 16)), // Cursor and its mask
    ]),
    update(
      [
        rect(0, 0, 64, 64, 7, u8(0x80), bytes(3)), // Tight fill
        rect(64, 0, 64, 64, 7, u8(0x90), compact(300), bytes(300)), // JPEG, 2-byte length
        rect(0, 64, 3, 1, 7, u8(0x00), bytes(9)), // basic copy under 12 bytes: raw
        rect(0, 65, 100, 100, 7, u8(0x00), compact(20_000), bytes(20_000)), // basic copy, 3-byte length
        rect(0, 200, 10, 10, 7, u8(0x40 | 0x10, 1, 1), bytes(6), compact(11), bytes(11)), // palette of 2: 1 bit a pixel, 20 bytes before zlib
        rect(0, 210, 10, 1, 7, u8(0x40 | 0x20, 1, 3), bytes(12), bytes(10)), // palette of 4: a byte a pixel, 10 raw
        rect(0, 220, 50, 50, 7, u8(0x40 | 0x30, 1, 15), bytes(48), compact(90), bytes(90)), // palette of 16
        rect(0, 300, 20, 20, 7, u8(0x40, 2), compact(500), bytes(500)), // gradient
        rect(10, 10, 30, 30, 1, u16(0), u16(0)), // CopyRect
        rect(0, 0, 4, 4, 0, bytes(4 * 4 * 4)), // Raw
        rect(0, 0, 8, 8, 16, u32(33), bytes(33)), // ZRLE
        rect(0, 0, 0, 0, -224), // LastRect
      ],
      0xffff,
    ),
    Buffer.concat([u8(248, 0, 0, 0), u32(0x80000002), u8(3), bytes(3)]), // ServerFence
    u8(2), // Bell
    Buffer.concat([u8(3, 0, 0, 0), s32(5), Buffer.from('hello')]), // ServerCutText
    Buffer.concat([u8(3, 0, 0, 0), s32(-8), bytes(8)]), // extended clipboard
    Buffer.concat([u8(1, 0), u16(0), u16(2), bytes(12)]), // SetColourMapEntries
    update([rect(0, 0, 8, 8, 7, u8(0x80), bytes(3))]),
  ];
}

/** The viewer's side of the same session: its version, its choice, the response, ClientInit, then noVNC's first messages. */
function viewerMessages(pixelFormat = PIXEL_FORMAT_32): Buffer[] {
  return [
    Buffer.from('RFB 003.008\n'),
    u8(2), // VNC authentication
    bytes(16, 0x22),
    u8(1), // ClientInit: shared
    Buffer.concat([u8(0, 0, 0, 0), pixelFormat]), // SetPixelFormat
    Buffer.concat([u8(2, 0), u16(3), s32(7), s32(1), s32(-224)]), // SetEncodings
    Buffer.concat([u8(3, 0), u16(0), u16(0), u16(1920), u16(1080)]), // FramebufferUpdateRequest
  ];
}

/**
 * Desktop message index → what the viewer sends after it: it answers the desktop's version, its
 * security types, the challenge, SecurityResult (ClientInit), then ServerInit (its pixel format
 * and encodings).
 */
function viewerAnswers(viewer: Buffer[]): Map<number, Buffer[]> {
  return new Map([
    [0, [viewer[0]]],
    [1, [viewer[1]]],
    [2, [viewer[2]]],
    [3, [viewer[3]]],
    [4, viewer.slice(4)],
  ]);
}

/** Plays a session: each viewer message goes in before the desktop's message that answers it. */
function play(desktop: Buffer[], viewer: Buffer[], cut: (stream: Buffer) => Buffer[]) {
  const ends = new RfbMessageEnds();
  const viewerAfter = viewerAnswers(viewer);
  const found: number[] = [];
  let offset = 0;
  desktop.forEach((message, index) => {
    for (const piece of cut(message)) {
      const end = ends.fromDesktop(piece);
      if (end >= 0) found.push(offset + end);
      offset += piece.length;
    }
    for (const answer of viewerAfter.get(index) ?? []) ends.fromViewer(answer);
  });
  return { ends, found };
}

function messageEnds(messages: Buffer[]): number[] {
  let at = 0;
  return messages.map((m) => (at += m.length));
}

test("every message's end is found, whether a message comes whole, byte by byte, or cut anywhere", () => {
  const desktop = desktopMessages();
  const expected = messageEnds(desktop);
  const whole = play(desktop, viewerMessages(), (m) => [m]);
  assert.deepEqual(whole.found, expected);
  assert.equal(whole.ends.following, true);

  const byteByByte = play(desktop, viewerMessages(), (m) => [...m].map((b) => u8(b)));
  assert.deepEqual(byteByByte.found, expected);
  assert.equal(byteByByte.ends.following, true);

  for (const at of [1, 7, 12, 13, 100, 4_000]) {
    const cut = play(desktop, viewerMessages(), (m) => (m.length > at ? [m.subarray(0, at), m.subarray(at)] : [m]));
    assert.deepEqual(cut.found, expected, `cut after ${at} bytes`);
    assert.equal(cut.ends.following, true);
  }
});

test('one piece holding the end of one update and the start of the next reports the end inside it', () => {
  const ends = new RfbMessageEnds();
  const desktop = desktopMessages();
  const viewer = viewerMessages();
  ends.fromDesktop(desktop[0]);
  ends.fromViewer(viewer[0]);
  ends.fromDesktop(desktop[1]);
  ends.fromViewer(viewer[1]);
  ends.fromDesktop(desktop[2]);
  ends.fromViewer(viewer[2]);
  ends.fromDesktop(desktop[3]);
  ends.fromViewer(viewer[3]);
  ends.fromDesktop(desktop[4]);
  for (const m of viewer.slice(4)) ends.fromViewer(m);
  const first = update([rect(0, 0, 8, 8, 7, u8(0x80), bytes(3))]);
  const second = update([rect(0, 0, 20, 20, 7, u8(0x90), compact(40), bytes(40))]);
  const joined = Buffer.concat([first, second]);
  assert.equal(ends.fromDesktop(joined.subarray(0, first.length + 5)), first.length);
  assert.equal(ends.fromDesktop(joined.subarray(first.length + 5)), second.length - 5);
});

test("the viewer's pixel format decides a pixel's size: 16 bits a pixel makes a Raw pixel and a Tight colour 2 bytes", () => {
  const desktop = desktopMessages().slice(0, 5);
  desktop[4] = Buffer.concat([u16(64), u16(64), PIXEL_FORMAT_32, u32(0)]);
  desktop.push(update([rect(0, 0, 4, 4, 0, bytes(4 * 4 * 2)), rect(0, 0, 8, 8, 7, u8(0x80), bytes(2))]));
  const played = play(desktop, viewerMessages(PIXEL_FORMAT_16), (m) => [m]);
  assert.deepEqual(played.found, messageEnds(desktop));
  assert.equal(played.ends.following, true);
});

test('an encoding it cannot follow ends the following for good: from then on every piece ends where it ends', () => {
  const desktop = desktopMessages().slice(0, 5);
  const hextile = update([rect(0, 0, 16, 16, 5, u8(1), bytes(16 * 16 * 4))]);
  desktop.push(hextile.subarray(0, 20), hextile.subarray(20));
  const played = play(desktop, viewerMessages(), (m) => [m]);
  const expected = messageEnds(desktop);
  assert.deepEqual(played.found, expected, 'each Hextile piece counted as an end');
  assert.equal(played.ends.following, false);
});

test('a stream that is not RFB, or another security type, is not followed', () => {
  const notRfb = new RfbMessageEnds();
  assert.equal(notRfb.fromDesktop(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n')), 21);
  assert.equal(notRfb.following, false);

  const veNCrypt = new RfbMessageEnds();
  veNCrypt.fromDesktop(Buffer.from('RFB 003.008\n'));
  veNCrypt.fromViewer(Buffer.from('RFB 003.008\n'));
  veNCrypt.fromDesktop(u8(1, 19));
  veNCrypt.fromViewer(u8(19));
  assert.equal(veNCrypt.fromDesktop(u8(0, 2)), 2);
  assert.equal(veNCrypt.following, false);
});

test('RFB 3.3: the desktop names the security type, and the viewer answers after it', () => {
  const ends = new RfbMessageEnds();
  const serverInit = Buffer.concat([u16(8), u16(8), PIXEL_FORMAT_32, u32(0)]);
  assert.equal(ends.fromDesktop(Buffer.from('RFB 003.003\n')), 12);
  ends.fromViewer(Buffer.from('RFB 003.003\n'));
  ends.fromDesktop(Buffer.concat([u32(2), bytes(16)])); // VNC authentication, its challenge
  ends.fromViewer(bytes(16)); // the response
  assert.equal(ends.fromDesktop(u32(0)), 4);
  ends.fromViewer(u8(1));
  assert.equal(ends.fromDesktop(serverInit), serverInit.length);
  const fill = update([rect(0, 0, 8, 8, 7, u8(0x80), bytes(3))]);
  assert.equal(ends.fromDesktop(fill), fill.length);
  assert.equal(ends.following, true);
});

test('once the desktop offers extended mouse buttons, a pointer event with its marker bit is a byte longer', () => {
  const desktop = desktopMessages();
  const ends = new RfbMessageEnds();
  const viewer = viewerMessages();
  const afterPointer = update([rect(0, 0, 8, 8, 7, u8(0x80), bytes(3))]);
  const answers = viewerAnswers(viewer);
  // after the update with ExtendedMouseButtons: an extended pointer event, then a key
  answers.set(6, [Buffer.concat([u8(5, 0x81), u16(10), u16(20), u8(1)]), Buffer.concat([u8(4, 1, 0, 0), u32(0x61)])]);
  // an unknown message type from the viewer would end the following: a misread length shows as one
  answers.set(7, [Buffer.concat([u8(0, 0, 0, 0), PIXEL_FORMAT_32])]);
  desktop.slice(0, 8).forEach((message, index) => {
    ends.fromDesktop(message);
    for (const answer of answers.get(index) ?? []) ends.fromViewer(answer);
  });
  assert.equal(ends.fromDesktop(afterPointer), afterPointer.length);
  assert.equal(ends.following, true);
});
