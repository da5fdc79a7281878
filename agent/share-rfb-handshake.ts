// The two RFB handshakes a share server makes (docs/architecture.md, "Sharing a desktop
// view-only"): towards the desktop as a client that holds the owner's password (VncAuth), and
// towards the watcher as a server that offers only security None. The watcher never sees the
// password, and the desktop sees one more shared client.
import { createCipheriv } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';

const RFB_VERSION = 'RFB 003.008\n';
const SECURITY_NONE = 1;
const SECURITY_VNC_AUTH = 2;
const HANDSHAKE_TIMEOUT_MS = 15_000;

/** Reads whole byte counts (or a line) from a socket; `release` hands back what came beyond them. */
export class SocketReader {
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private closed = false;
  private readonly onData = (chunk: Buffer): void => {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.waiting?.();
  };
  private readonly onClose = (): void => {
    this.closed = true;
    this.waiting?.();
  };

  constructor(
    private readonly socket: Readable,
    private readonly what: string,
  ) {
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
  }

  read(n: number): Promise<Buffer> {
    return this.until(() => (this.buffered.length >= n ? n : undefined), `${n} bytes`);
  }

  /** One line without its `\n`; longer than `max` bytes is refused. */
  async readLine(max: number): Promise<string> {
    const line = await this.until(() => {
      const end = this.buffered.indexOf(0x0a);
      if (end >= 0 && end <= max) return end + 1;
      if (end > max || (end < 0 && this.buffered.length > max)) throw new Error(`${this.what} sent a line longer than ${max} bytes`);
      return undefined;
    }, 'a line');
    return line.subarray(0, -1).toString('latin1');
  }

  /** Stops reading and pauses the stream (a pipe resumes it): returns the bytes that came after the last read. */
  release(): Buffer {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onClose);
    this.socket.pause();
    return this.buffered;
  }

  private until(ready: () => number | undefined, wanted: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`${this.what} did not send ${wanted} within ${HANDSHAKE_TIMEOUT_MS / 1000} s`)),
        HANDSHAKE_TIMEOUT_MS,
      );
      const finish = (error?: Error, bytes?: Buffer): void => {
        clearTimeout(timer);
        this.waiting = undefined;
        if (error) reject(error);
        else resolve(bytes!);
      };
      const check = (): void => {
        try {
          const n = ready();
          if (n !== undefined) {
            const bytes = this.buffered.subarray(0, n);
            this.buffered = this.buffered.subarray(n);
            finish(undefined, bytes);
          } else if (this.closed) finish(new Error(`${this.what} closed the connection before sending ${wanted}`));
        } catch (error) {
          finish(error as Error);
        }
      };
      this.waiting = check;
      check();
    });
  }
}

/** VncAuth's DES key is the password's first 8 bytes with each byte's bits reversed (RFC 6143 §7.2.2). */
export function vncAuthResponse(password: string, challenge: Buffer): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) {
    let reversed = 0;
    for (let bit = 0; bit < 8; bit++) reversed = (reversed << 1) | ((key[i] >> bit) & 1);
    key[i] = reversed;
  }
  // OpenSSL 3 leaves single DES out by default; 3DES with K|K|K is the same cipher.
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}

/**
 * Signs in to the desktop as a shared client and returns its ServerInit, which the watcher gets
 * as it is. Shared is always asked for: a non-shared client makes Xvnc drop the owner's viewer.
 */
export async function desktopHandshake(desktop: Socket, reader: SocketReader, password: string | undefined): Promise<Buffer> {
  const version = (await reader.read(12)).toString('latin1');
  if (!/^RFB 003\.00[78]\n$/.test(version)) throw new Error(`the desktop speaks ${JSON.stringify(version.trim())}, not RFB 3.8`);
  desktop.write(RFB_VERSION);
  const count = (await reader.read(1))[0];
  if (count === 0) throw new Error(`the desktop refused the connection: ${await failureReason(reader)}`);
  const types = [...(await reader.read(count))];
  if (password !== undefined && types.includes(SECURITY_VNC_AUTH)) {
    desktop.write(Buffer.from([SECURITY_VNC_AUTH]));
    desktop.write(vncAuthResponse(password, await reader.read(16)));
  } else if (types.includes(SECURITY_NONE)) {
    desktop.write(Buffer.from([SECURITY_NONE]));
  } else {
    throw new Error(`the desktop offers security types ${types.join(', ')}; the share server speaks VncAuth and None`);
  }
  if ((await reader.read(4)).readUInt32BE(0) !== 0) throw new Error(`the desktop refused the password: ${await failureReason(reader)}`);
  desktop.write(Buffer.from([1]));
  const init = await reader.read(24);
  const name = await reader.read(init.readUInt32BE(20));
  return Buffer.concat([init, name]);
}

/**
 * The server's side towards the watcher, up to its ClientInit. `signIn` is called once the
 * watcher has chosen security None and returns the desktop's ServerInit; when it fails, the
 * watcher is told why in the SecurityResult (noVNC shows that reason).
 */
export async function watcherHandshake(watcher: Socket, reader: SocketReader, signIn: () => Promise<Buffer>): Promise<void> {
  watcher.write(RFB_VERSION);
  const version = (await reader.read(12)).toString('latin1');
  if (version !== RFB_VERSION) throw new Error(`the watcher speaks ${JSON.stringify(version.trim())}; a share speaks RFB 3.8`);
  watcher.write(Buffer.from([1, SECURITY_NONE]));
  const chosen = (await reader.read(1))[0];
  if (chosen !== SECURITY_NONE) throw new Error(`the watcher chose security type ${chosen}; a share offers only None (1)`);
  let serverInit: Buffer;
  try {
    serverInit = await signIn();
  } catch (error) {
    const reason = Buffer.from(`The shared desktop cannot be reached: ${(error as Error).message}`);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(reason.length);
    watcher.write(Buffer.concat([Buffer.from([0, 0, 0, 1]), length, reason]));
    throw error;
  }
  watcher.write(Buffer.from([0, 0, 0, 0]));
  // The watcher's shared flag is not asked: the share server's own connection is always shared.
  await reader.read(1);
  watcher.write(serverInit);
}

async function failureReason(reader: SocketReader): Promise<string> {
  const length = (await reader.read(4)).readUInt32BE(0);
  return (await reader.read(Math.min(length, 4096))).toString('utf8');
}
