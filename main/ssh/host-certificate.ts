// OpenSSH host certificates (PROTOCOL.certkeys, the `*-cert-v01@openssh.com` key types), read
// and checked as ssh checks them against a `@cert-authority` line: signed by that CA, a host
// certificate, for this host, valid now, no critical option it does not know. Pure: the CA
// keys come from the caller's known_hosts entries.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface HostCertificate {
  /** The certified key as a plain public-key blob (what known_hosts would hold). */
  plainKey: Buffer;
  kind: 'user' | 'host' | 'unknown';
  keyId: string;
  principals: string[];
  /** Seconds since the epoch; validBefore 2^64-1 means forever. */
  validAfter: bigint;
  validBefore: bigint;
  criticalOptions: string[];
  /** The CA's public-key blob. */
  signatureKey: Buffer;
  signature: Buffer;
  /** The bytes the CA signed: the certificate up to its signature. */
  signedData: Buffer;
}

const CERT_SUFFIX = '-cert-v01@openssh.com';

export function isCertificateType(keyType: string): boolean {
  return keyType.endsWith(CERT_SUFFIX);
}

/** Host-key algorithms that carry certificates, in OpenSSH's order. */
export const CERTIFICATE_ALGORITHMS = [
  'ssh-ed25519-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com',
  'rsa-sha2-256-cert-v01@openssh.com',
];

/** Reads SSH wire types (RFC 4251 §5) from a blob, refusing to run past its end. */
class WireReader {
  private offset = 0;
  constructor(private readonly blob: Buffer) {}
  get position(): number {
    return this.offset;
  }
  uint32(): number {
    this.need(4);
    const value = this.blob.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  uint64(): bigint {
    this.need(8);
    const value = this.blob.readBigUInt64BE(this.offset);
    this.offset += 8;
    return value;
  }
  string(): Buffer {
    const length = this.uint32();
    this.need(length);
    const value = this.blob.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
  text(): string {
    return this.string().toString('utf8');
  }
  get done(): boolean {
    return this.offset === this.blob.length;
  }
  private need(bytes: number): void {
    if (this.offset + bytes > this.blob.length) throw new Error('the certificate is cut short');
  }
}

function sshString(value: Buffer | string): Buffer {
  const body = typeof value === 'string' ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

/** How many strings/mpints the certified key has after the nonce, by plain key type. */
const KEY_FIELDS: Record<string, number> = {
  'ssh-ed25519': 1,
  'ecdsa-sha2-nistp256': 2,
  'ecdsa-sha2-nistp384': 2,
  'ecdsa-sha2-nistp521': 2,
  'ssh-rsa': 2,
};

/** Parses a certificate blob; throws with what is wrong when it is not one Porthole can check. */
export function parseHostCertificate(blob: Buffer): HostCertificate {
  const reader = new WireReader(blob);
  const certType = reader.text();
  if (!isCertificateType(certType)) throw new Error(`'${certType}' is not a certificate type`);
  const plainType = certType.slice(0, -CERT_SUFFIX.length);
  const fieldCount = KEY_FIELDS[plainType];
  if (!fieldCount) throw new Error(`certificates of ${plainType} keys are not supported`);
  reader.string(); // nonce
  const keyStart = reader.position;
  for (let i = 0; i < fieldCount; i += 1) reader.string();
  const plainKey = Buffer.concat([sshString(plainType), blob.subarray(keyStart, reader.position)]);
  reader.uint64(); // serial
  const kindNumber = reader.uint32();
  const keyId = reader.text();
  const principals = stringList(reader.string());
  const validAfter = reader.uint64();
  const validBefore = reader.uint64();
  const criticalOptions = optionNames(reader.string());
  reader.string(); // extensions (none are defined for host certificates)
  reader.string(); // reserved
  const signatureKey = reader.string();
  const signedData = blob.subarray(0, reader.position);
  const signature = reader.string();
  if (!reader.done) throw new Error('the certificate has bytes after its signature');
  const kind = kindNumber === 2 ? 'host' : kindNumber === 1 ? 'user' : 'unknown';
  return { plainKey, kind, keyId, principals, validAfter, validBefore, criticalOptions, signatureKey, signature, signedData };
}

function stringList(packed: Buffer): string[] {
  const reader = new WireReader(packed);
  const values: string[] = [];
  while (!reader.done) values.push(reader.text());
  return values;
}

function optionNames(packed: Buffer): string[] {
  const reader = new WireReader(packed);
  const names: string[] = [];
  while (!reader.done) {
    names.push(reader.text());
    reader.string();
  }
  return names;
}

/**
 * Why this certificate does not vouch for `hostName` at `now` (seconds), or null when it does.
 * `principalMatches` is known_hosts' pattern matching: OpenSSH lets host principals be patterns.
 */
export function certificateProblem(
  cert: HostCertificate,
  hostName: string,
  now: bigint,
  principalMatches: (pattern: string, name: string) => boolean,
): string | null {
  if (cert.kind !== 'host') return `it is a ${cert.kind} certificate, not a host certificate`;
  // An empty principal list is valid for any host, as in OpenSSH.
  if (cert.principals.length > 0 && !cert.principals.some((p) => principalMatches(p, hostName))) {
    return `it is for ${cert.principals.join(', ')}, not ${hostName}`;
  }
  if (now < cert.validAfter) return `it is not valid before ${timeText(cert.validAfter)}`;
  if (now >= cert.validBefore) return `it expired at ${timeText(cert.validBefore)}`;
  if (cert.criticalOptions.length > 0) return `it has critical options Porthole does not know (${cert.criticalOptions.join(', ')})`;
  if (!signatureValid(cert)) return 'its signature does not verify with the CA key';
  return null;
}

function timeText(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString();
}

/** Signature algorithms a CA key of each type may use; SHA-1 `ssh-rsa` is refused, as OpenSSH does by default. */
const SIGNATURES: Record<string, Record<string, string | null>> = {
  'ssh-ed25519': { 'ssh-ed25519': null },
  'ecdsa-sha2-nistp256': { 'ecdsa-sha2-nistp256': 'sha256' },
  'ecdsa-sha2-nistp384': { 'ecdsa-sha2-nistp384': 'sha384' },
  'ecdsa-sha2-nistp521': { 'ecdsa-sha2-nistp521': 'sha512' },
  'ssh-rsa': { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' },
};

function signatureValid(cert: HostCertificate): boolean {
  try {
    const keyReader = new WireReader(cert.signatureKey);
    const keyType = keyReader.text();
    const signatureReader = new WireReader(cert.signature);
    const algorithm = signatureReader.text();
    const raw = signatureReader.string();
    const allowed = SIGNATURES[keyType];
    if (!allowed || !(algorithm in allowed)) return false;
    const hash = allowed[algorithm];
    const key = publicKeyObject(keyType, keyReader);
    if (keyType.startsWith('ecdsa-')) {
      return verify(hash, cert.signedData, { key, dsaEncoding: 'ieee-p1363' }, ecdsaSignature(raw, keyType));
    }
    return verify(hash, cert.signedData, key, raw);
  } catch {
    return false;
  }
}

const CURVES: Record<string, string> = { nistp256: 'P-256', nistp384: 'P-384', nistp521: 'P-521' };
const FIELD_BYTES: Record<string, number> = { nistp256: 32, nistp384: 48, nistp521: 66 };

function publicKeyObject(keyType: string, reader: WireReader): KeyObject {
  if (keyType === 'ssh-ed25519') {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: reader.string().toString('base64url') }, format: 'jwk' });
  }
  if (keyType === 'ssh-rsa') {
    const e = unsigned(reader.string());
    const n = unsigned(reader.string());
    return createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') }, format: 'jwk' });
  }
  const curve = CURVES[reader.text()];
  const point = reader.string();
  if (!curve || point[0] !== 4) throw new Error('unsupported ECDSA key');
  const size = (point.length - 1) / 2;
  const x = point.subarray(1, 1 + size).toString('base64url');
  const y = point.subarray(1 + size).toString('base64url');
  return createPublicKey({ key: { kty: 'EC', crv: curve, x, y }, format: 'jwk' });
}

/** An mpint without its sign byte. */
function unsigned(mpint: Buffer): Buffer {
  let start = 0;
  while (start < mpint.length - 1 && mpint[start] === 0) start += 1;
  return mpint.subarray(start);
}

/** SSH's ECDSA signature (mpint r, mpint s) as the fixed-width r‖s that node:crypto reads. */
function ecdsaSignature(raw: Buffer, keyType: string): Buffer {
  const size = FIELD_BYTES[keyType.slice('ecdsa-sha2-'.length)];
  const reader = new WireReader(raw);
  const pad = (value: Buffer) => Buffer.concat([Buffer.alloc(size - value.length), value]);
  const r = unsigned(reader.string());
  const s = unsigned(reader.string());
  if (r.length > size || s.length > size) throw new Error('ECDSA signature too long');
  return Buffer.concat([pad(r), pad(s)]);
}
