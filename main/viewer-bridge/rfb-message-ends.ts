// Where the desktop's RFB messages end in its byte stream, so that the bridge can hand the viewer
// whole messages. Xvnc writes every rectangle of an update with a send of its own (~200 a frame
// under a moving 3D window), the route between joins few of them, and each WebSocket message
// costs the page a task, a JavaScript event and more work in the browser's network process
// than its bytes do. noVNC draws an update only once all of it is there, so holding its first
// rectangles until its last one arrives costs no time on screen (docs/field-notes.md).
//
// Both directions are followed (RFB 3.3–3.8, RFC 6143 and its community extensions as noVNC
// speaks them): the viewer's choices decide how the desktop's bytes are read (the security type,
// the pixel format). Whatever is not understood (another security type, an encoding noVNC would
// ask for only of another server) ends the following for good: from then on every piece of the
// stream counts as an end, which is how the bridge worked before.

/**
 * What a reader asks of the stream next: bytes to look at, bytes to pass over, a message ended
 * here, or to go on only once more bytes came (what the other side chose meanwhile is known then).
 */
type Step = { read: number } | { skip: number } | typeof MESSAGE_END | typeof AWAIT_BYTES;
const MESSAGE_END = 'end';
const AWAIT_BYTES = 'await';
/** A reader returns (its generator ends) when the stream is no longer one it can follow. */
type Reader = Generator<Step, void, Buffer>;

const LAST_RECT = -224;
const VMWARE_CURSOR = 0x574d5664;

/** What the viewer chose that the desktop's bytes depend on. */
interface ViewerChoices {
  /** The minor version of the protocol the viewer answered with (3, 7 or 8). */
  minor?: number;
  securityType?: number;
  bytesPerPixel: number;
  /** Tight sends a 24-bit true-colour pixel in 3 bytes. */
  tightPixelBytes: number;
  /** Once the desktop said it takes them, a pointer event with its marker bit set is a byte longer. */
  extendedPointer: boolean;
}

export class RfbMessageEnds {
  private readonly choices: ViewerChoices = { bytesPerPixel: 4, tightPixelBytes: 3, extendedPointer: false };
  private readonly desktop = new StreamFollower(desktopStream(this.choices));
  private readonly viewer = new StreamFollower(viewerStream(this.choices));

  /** Whether the stream is still followed; once false, it stays false. */
  get following(): boolean {
    return this.desktop.following && this.viewer.following;
  }

  /** Takes what the viewer sent, before it is written to the desktop. */
  fromViewer(chunk: Buffer): void {
    if (this.following) this.viewer.feed(chunk);
  }

  /**
   * Takes what the desktop sent; returns how many bytes of `chunk` lie before the end of the
   * last message that ends in it (-1 when none does). Once the stream is not followed, every
   * chunk ends where it ends.
   */
  fromDesktop(chunk: Buffer): number {
    if (!this.following) return chunk.length;
    const end = this.desktop.feed(chunk);
    return this.following ? end : chunk.length;
  }

  /** Stops following (the bridge saw the desktop stop mid-message for too long). */
  abandon(): void {
    this.desktop.abandon();
  }
}

/** The most bytes any reader asks to look at in one step (ServerInit's fixed part). */
const MAX_READ = 24;

/**
 * Runs a reader over the chunks as they come. A reader steps a few times per rectangle (~200
 * rectangles a frame under a moving 3D window), so the bytes it reads are copied into one buffer
 * kept for the purpose and handed over as a view of the size asked for: a fresh Buffer per step
 * (and the garbage) took the bridge ~1 ms of CPU a frame (docs/field-notes.md). A view is valid
 * until the reader's next step.
 */
class StreamFollower {
  private step: IteratorResult<Step, void>;
  private readonly scratch = Buffer.alloc(MAX_READ);
  /** The scratch buffer's first n bytes, by n. */
  private readonly views: Buffer[] = [];
  private collectedBytes = 0;
  private skipLeft = 0;

  constructor(private readonly reader: Reader) {
    this.step = reader.next();
    this.skipLeft = this.pendingSkip();
  }

  get following(): boolean {
    return !this.step.done;
  }

  abandon(): void {
    this.reader.return();
    this.step = { done: true, value: undefined };
  }

  /** The offset just past the last message end in `chunk`, or -1. */
  feed(chunk: Buffer): number {
    let at = 0;
    let lastEnd = -1;
    while (!this.step.done) {
      const step = this.step.value;
      if (step === MESSAGE_END) {
        lastEnd = at;
        this.advance(NO_BYTES);
      } else if (step === AWAIT_BYTES) {
        if (at === chunk.length) break;
        this.advance(NO_BYTES);
      } else if ('skip' in step) {
        const taken = Math.min(this.skipLeft, chunk.length - at);
        at += taken;
        this.skipLeft -= taken;
        if (this.skipLeft > 0) break;
        this.advance(NO_BYTES);
      } else {
        const taken = Math.min(step.read - this.collectedBytes, chunk.length - at);
        for (let i = 0; i < taken; i++) this.scratch[this.collectedBytes + i] = chunk[at + i];
        at += taken;
        this.collectedBytes += taken;
        if (this.collectedBytes < step.read) break;
        this.collectedBytes = 0;
        this.advance((this.views[step.read] ??= this.scratch.subarray(0, step.read)));
      }
    }
    return lastEnd;
  }

  private advance(bytes: Buffer): void {
    this.step = this.reader.next(bytes);
    this.skipLeft = this.pendingSkip();
  }

  private pendingSkip(): number {
    const step = this.step.value;
    return !this.step.done && typeof step === 'object' && 'skip' in step ? step.skip : 0;
  }
}

const NO_BYTES = Buffer.alloc(0);

/** Every read step there can be, made once: the readers ask for one several times a rectangle. */
const READS: readonly Step[] = Array.from({ length: MAX_READ + 1 }, (_, bytes) => ({ read: bytes }));
const read = (bytes: number): Step => {
  const step = READS[bytes];
  if (!step) throw new RangeError(`a reader reads at most ${MAX_READ} bytes a step, not ${bytes}`);
  return step;
};
const skip = (bytes: number): Step => ({ skip: bytes });

/** "RFB 003.008\n" → 8; undefined for anything else. */
function minorVersion(bytes: Buffer): number | undefined {
  const match = /^RFB 003\.(\d{3})\n$/.exec(bytes.toString('latin1'));
  return match ? Number(match[1]) : undefined;
}

/** Security types whose bytes are known: None and VNC authentication. */
const NONE = 1;
const VNC_AUTH = 2;

function* desktopStream(viewer: ViewerChoices): Reader {
  if (minorVersion(yield read(12)) === undefined) return;
  yield MESSAGE_END;
  yield AWAIT_BYTES; // the desktop goes on once the viewer answered with its version
  if (viewer.minor === undefined) return;
  if (viewer.minor < 7) {
    viewer.securityType = (yield read(4)).readUInt32BE(0);
  } else {
    const count = (yield read(1))[0];
    if (count === 0) return; // a refusal, with its reason; the connection ends
    yield skip(count);
    yield MESSAGE_END;
    yield AWAIT_BYTES; // the desktop goes on once the viewer chose
  }
  const type = viewer.securityType;
  if (type === VNC_AUTH) {
    yield skip(16);
    yield MESSAGE_END;
  } else if (type !== NONE) return;
  if (type === VNC_AUTH || viewer.minor >= 8) {
    if ((yield read(4)).readUInt32BE(0) !== 0) return; // refused
    yield MESSAGE_END;
  }
  const serverInit = yield read(24);
  setPixelFormat(viewer, serverInit.subarray(4, 20));
  yield skip(serverInit.readUInt32BE(20));
  yield MESSAGE_END;

  for (;;) {
    const type = (yield read(1))[0];
    if (type === 0) {
      // FramebufferUpdate: LastRect ends one whose count was left open (0xffff)
      for (let rects = (yield read(3)).readUInt16BE(1); rects > 0; rects--) {
        const header = yield read(12);
        const encoding = header.readInt32BE(8);
        if (encoding === LAST_RECT) break;
        if (!(yield* rectangle(header.readUInt16BE(4), header.readUInt16BE(6), encoding, viewer))) return;
      }
    } else if (type === 1) {
      yield skip(6 * (yield read(5)).readUInt16BE(3)); // SetColourMapEntries
    } else if (type === 3) {
      yield skip(Math.abs((yield read(7)).readInt32BE(3))); // ServerCutText; extended when negative
    } else if (type === 248) {
      yield skip((yield read(8))[7]); // ServerFence
    } else if (type === 250) {
      yield skip(3); // xvp
    } else if (type !== 2 && type !== 150) {
      return; // 2 Bell and 150 EndOfContinuousUpdates are one byte
    }
    yield MESSAGE_END;
  }
}

/** Passes over one rectangle's data; false for an encoding it cannot follow. */
function* rectangle(width: number, height: number, encoding: number, viewer: ViewerChoices): Generator<Step, boolean, Buffer> {
  const pixels = width * height;
  switch (encoding) {
    case 0: // Raw
      yield skip(pixels * viewer.bytesPerPixel);
      return true;
    case 1: // CopyRect
      yield skip(4);
      return true;
    case 2: // RRE
      yield skip(viewer.bytesPerPixel + (yield read(4)).readUInt32BE(0) * (viewer.bytesPerPixel + 8));
      return true;
    case 6: // Zlib
    case 16: // ZRLE
      yield skip((yield read(4)).readUInt32BE(0));
      return true;
    case 7: // Tight
    case -260: // TightPNG
      return yield* tight(width, height, viewer.tightPixelBytes);
    case -239: // Cursor: pixels, then a bit mask
      yield skip(pixels * viewer.bytesPerPixel + Math.ceil(width / 8) * height);
      return true;
    case VMWARE_CURSOR: {
      const cursorType = (yield read(2))[0];
      if (cursorType > 1) return false;
      yield skip(cursorType === 0 ? 2 * pixels * 4 : pixels * 4); // classic: AND and XOR masks; else RGBA
      return true;
    }
    case -307: // DesktopName
      yield skip((yield read(4)).readUInt32BE(0));
      return true;
    case -308: // ExtendedDesktopSize
      yield skip(16 * (yield read(4))[0]);
      return true;
    case -261: // QEMU LED state
      yield skip(1);
      return true;
    case -316: // ExtendedMouseButtons: the viewer's pointer events may carry the extra byte from now on
      viewer.extendedPointer = true;
      return true;
    case -223: // DesktopSize
    case -258: // QEMU extended key events
      return true;
    default:
      return false;
  }
}

/** Tight and TightPNG: a control byte, then a fill colour, an image, or filtered pixels (zlib-compressed from 12 bytes on). */
function* tight(width: number, height: number, pixelBytes: number): Generator<Step, boolean, Buffer> {
  const control = (yield read(1))[0];
  const compression = control >> 4;
  if (compression === 8) {
    yield skip(pixelBytes); // fill
    return true;
  }
  if (compression === 9 || compression === 10) {
    yield skip(yield* compactLength()); // JPEG, PNG
    return true;
  }
  if (compression > 10) return false;
  const filter = control & 0x40 ? (yield read(1))[0] : 0;
  let size: number;
  if (filter === 0) size = width * height * pixelBytes;
  else if (filter === 1) {
    const colours = (yield read(1))[0] + 1;
    yield skip(colours * pixelBytes);
    size = colours <= 2 ? Math.ceil(width / 8) * height : width * height;
  } else if (filter === 2) size = width * height * pixelBytes;
  else return false;
  yield skip(size < 12 ? size : yield* compactLength());
  return true;
}

/** Tight's length: 7 bits a byte, at most 3 bytes, low bits first. */
function* compactLength(): Generator<Step, number, Buffer> {
  let length = 0;
  for (let shift = 0; shift <= 14; shift += 7) {
    const byte = (yield read(1))[0];
    length |= (shift === 14 ? byte : byte & 0x7f) << shift;
    if (shift === 14 || !(byte & 0x80)) break;
  }
  return length;
}

function setPixelFormat(viewer: ViewerChoices, format: Buffer): void {
  const [bitsPerPixel, depth, , trueColour] = format;
  viewer.bytesPerPixel = bitsPerPixel / 8;
  viewer.tightPixelBytes = bitsPerPixel === 32 && depth === 24 && trueColour ? 3 : bitsPerPixel / 8;
}

function* viewerStream(viewer: ViewerChoices): Reader {
  viewer.minor = minorVersion(yield read(12));
  if (viewer.minor === undefined) return;
  if (viewer.minor >= 7) viewer.securityType = (yield read(1))[0];
  // With 3.3 the desktop names the type, and the viewer answers after it.
  else yield AWAIT_BYTES;
  if (viewer.securityType === VNC_AUTH) yield skip(16);
  else if (viewer.securityType !== NONE) return;
  yield skip(1); // ClientInit

  for (;;) {
    const type = (yield read(1))[0];
    switch (type) {
      case 0: // SetPixelFormat
        setPixelFormat(viewer, (yield read(19)).subarray(3));
        break;
      case 2: // SetEncodings
        yield skip(4 * (yield read(3)).readUInt16BE(1));
        break;
      case 3: // FramebufferUpdateRequest
      case 150: // EnableContinuousUpdates
        yield skip(9);
        break;
      case 4: // KeyEvent
        yield skip(7);
        break;
      case 5: {
        // PointerEvent
        const mask = (yield read(1))[0];
        yield skip(viewer.extendedPointer && mask & 0x80 ? 5 : 4);
        break;
      }
      case 6: // ClientCutText
        yield skip(Math.abs((yield read(7)).readInt32BE(3)));
        break;
      case 248: // ClientFence
        yield skip((yield read(8))[7]);
        break;
      case 250: // xvp
        yield skip(3);
        break;
      case 251: // SetDesktopSize
        yield skip(16 * (yield read(7))[5]);
        break;
      case 255: // QEMU: only the extended key event is known
        if ((yield read(1))[0] !== 0) return;
        yield skip(10);
        break;
      default:
        return;
    }
  }
}
