// The client side of the RFB (VNC) security handshake, enough to prove a relay reaches the real
// server and that its password works: version, VncAuth (DES challenge), SecurityResult.
import { createCipheriv } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';

/** VncAuth's DES key is the password's 8 bytes with each byte's bits reversed. */
export function vncAuthResponse(password: string, challenge: Buffer): Buffer {
  const key = Buffer.alloc(8);
  Buffer.from(password, 'latin1').copy(key, 0, 0, 8);
  for (let i = 0; i < 8; i++) {
    let b = key[i];
    let r = 0;
    for (let bit = 0; bit < 8; bit++) {
      r = (r << 1) | (b & 1);
      b >>= 1;
    }
    key[i] = r;
  }
  // OpenSSL 3 leaves single DES out by default; 3DES with K|K|K is the same cipher.
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(challenge), cipher.final()]);
}

class ByteReader {
  private buffered = Buffer.alloc(0);
  private wanted: { n: number; resolve: (b: Buffer) => void } | undefined;
  private ended = false;

  constructor(input: Readable) {
    input.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.feed();
    });
    input.on('end', () => {
      this.ended = true;
      this.feed();
    });
  }

  read(n: number, timeoutMs = 15_000): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${n} bytes from the server within ${timeoutMs} ms`)), timeoutMs);
      this.wanted = { n, resolve: (b) => (clearTimeout(timer), resolve(b)) };
      this.feed();
      if (this.wanted && this.ended) {
        clearTimeout(timer);
        reject(new Error(`the stream ended before ${n} bytes came`));
      }
    });
  }

  private feed(): void {
    if (this.wanted && this.buffered.length >= this.wanted.n) {
      const { n, resolve } = this.wanted;
      this.wanted = undefined;
      const out = this.buffered.subarray(0, n);
      this.buffered = this.buffered.subarray(n);
      resolve(out);
    }
  }
}

export interface HandshakeResult {
  serverVersion: string;
  securityTypes: number[];
  ok: boolean;
  failureReason?: string;
}

export async function rfbHandshake(input: Readable, output: Writable, password: string): Promise<HandshakeResult> {
  const reader = new ByteReader(input);
  const serverVersion = (await reader.read(12)).toString('latin1');
  if (!/^RFB \d{3}\.\d{3}\n$/.test(serverVersion)) throw new Error(`not an RFB server: ${JSON.stringify(serverVersion)}`);
  output.write('RFB 003.008\n');
  const count = (await reader.read(1))[0];
  if (count === 0) throw new Error('the server refused the connection before security');
  const securityTypes = [...(await reader.read(count))];
  if (!securityTypes.includes(2)) throw new Error(`the server does not offer VncAuth: ${securityTypes.join(',')}`);
  output.write(Buffer.from([2]));
  const challenge = await reader.read(16);
  output.write(vncAuthResponse(password, challenge));
  const result = (await reader.read(4)).readUInt32BE(0);
  if (result === 0) return { serverVersion: serverVersion.trim(), securityTypes, ok: true };
  const length = (await reader.read(4).catch(() => Buffer.alloc(4))).readUInt32BE(0);
  const failureReason = length ? (await reader.read(length)).toString('utf8') : '';
  return { serverVersion: serverVersion.trim(), securityTypes, ok: false, failureReason };
}
