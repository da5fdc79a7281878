// What a watcher of a shared desktop may say to it (docs/architecture.md, "Sharing a desktop
// view-only"): after the handshake, the client→server messages of RFB (RFC 6143 §7.5 and the
// community extensions noVNC and TigerVNC use) are read one by one; the ones a viewer needs to
// see pixels go on, the ones that act on the desktop are dropped, and anything this reader does
// not know closes the stream, because its length is unknown and whatever follows could be input.
// Pure: bytes in, bytes to forward out.

/** What a message does to the desktop: `view` goes on to it, `act` is dropped. */
type Effect = 'view' | 'act';

interface MessageRule {
  name: string;
  effect: Effect;
  /** The whole message's length once `header` bytes have arrived, or how many header bytes it needs first. */
  length: (header: Buffer) => number | { need: number };
}

const fixed = (bytes: number) => () => bytes;

/** A watcher's clipboard text is dropped anyway; a length past this closes the stream instead of being read through. */
export const MAX_DROPPED_CUT_TEXT = 1 << 20;
const MAX_ENCODINGS = 1024;

const MESSAGE_RULES: Record<number, MessageRule> = {
  0: { name: 'SetPixelFormat', effect: 'view', length: fixed(20) },
  2: {
    name: 'SetEncodings',
    effect: 'view',
    length: (header) => (header.length < 4 ? { need: 4 } : 4 + 4 * Math.min(header.readUInt16BE(2), MAX_ENCODINGS + 1)),
  },
  3: { name: 'FramebufferUpdateRequest', effect: 'view', length: fixed(10) },
  4: { name: 'KeyEvent', effect: 'act', length: fixed(8) },
  5: { name: 'PointerEvent', effect: 'act', length: fixed(6) },
  // A negative length is the extended clipboard's (its size is the absolute value).
  6: { name: 'ClientCutText', effect: 'act', length: (header) => (header.length < 8 ? { need: 8 } : 8 + Math.abs(header.readInt32BE(4))) },
  150: { name: 'EnableContinuousUpdates', effect: 'view', length: fixed(10) },
  248: { name: 'ClientFence', effect: 'view', length: (header) => (header.length < 9 ? { need: 9 } : 9 + header[8]) },
  // xvp asks the server to shut down, reboot or reset the machine.
  250: { name: 'xvp', effect: 'act', length: fixed(4) },
  // Resizing is acting on the owner's desktop.
  251: {
    name: 'SetDesktopSize',
    effect: 'act',
    length: (header) => (header.length < 8 ? { need: 8 } : 8 + 16 * header[6]),
  },
};

export class ClientMessageFilter {
  private pending: Buffer = Buffer.alloc(0);
  /** Names of the messages dropped so far, for the log and the tests. */
  readonly dropped: string[] = [];

  /**
   * Takes the next bytes from the watcher; returns the bytes the desktop may get, or throws when
   * the stream must close (a message this reader does not know, or too big to read through).
   */
  push(chunk: Buffer): Buffer {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const forward: Buffer[] = [];
    for (;;) {
      const length = this.nextMessageLength();
      if (length === undefined || this.pending.length < length) break;
      const message = this.pending.subarray(0, length);
      this.pending = this.pending.subarray(length);
      const rule = MESSAGE_RULES[message[0]];
      if (rule.effect === 'view') forward.push(message);
      else this.dropped.push(rule.name);
    }
    return Buffer.concat(forward);
  }

  /** The length of the message at the front, or undefined while its header is incomplete. */
  private nextMessageLength(): number | undefined {
    if (this.pending.length === 0) return undefined;
    const rule = MESSAGE_RULES[this.pending[0]];
    if (!rule) throw new Error(`a watcher sent RFB message type ${this.pending[0]}, which a view-only share does not pass`);
    const length = rule.length(this.pending);
    if (typeof length !== 'number') return undefined;
    if (rule.name === 'SetEncodings' && this.pending.readUInt16BE(2) > MAX_ENCODINGS)
      throw new Error(`a watcher sent SetEncodings with ${this.pending.readUInt16BE(2)} encodings; at most ${MAX_ENCODINGS} pass`);
    if (rule.name === 'ClientCutText' && length - 8 > MAX_DROPPED_CUT_TEXT)
      throw new Error(`a watcher sent ${length - 8} bytes of clipboard text; a view-only share takes none`);
    return length;
  }
}
