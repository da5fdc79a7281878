// Host-key verification against OpenSSH's known_hosts format: plain and hashed
// (`|1|salt|hash`) host patterns, `[host]:port` for other ports, wildcards and negation,
// `@revoked` markers. Pure: the caller reads the files and decides what to ask the person.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KnownHostKey } from '../api';
import { CERTIFICATE_ALGORITHMS, certificateProblem, parseHostCertificate } from './host-certificate';

export interface KnownHostEntry {
  marker?: 'cert-authority' | 'revoked';
  patterns: string;
  keyType: string;
  keyBase64: string;
  /** File and line, for a message that lets a person fix a changed key. */
  source: string;
}

export type HostKeyVerdict =
  | { status: 'trusted' }
  | { status: 'unknown' }
  /** `key`: another key of the same type is known; `type`: only keys of other types are. */
  | { status: 'changed'; change: 'key' | 'type'; known: KnownHostKey[] }
  | { status: 'revoked'; source: string };

export function parseKnownHosts(text: string, fileName: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const name = fields.shift()!.slice(1);
      if (name !== 'cert-authority' && name !== 'revoked') return;
      marker = name;
    }
    if (fields.length < 3) return;
    entries.push({ marker, patterns: fields[0], keyType: fields[1], keyBase64: fields[2], source: `${fileName}:${index + 1}` });
  });
  return entries;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function hostMatchesPatterns(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) return hashedPatternMatches(patterns, name);
  let matched = false;
  for (const pattern of patterns.split(',')) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (globMatches(body.toLowerCase(), name.toLowerCase())) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function hashedPatternMatches(pattern: string, name: string): boolean {
  const [, , saltBase64, hashBase64] = pattern.split('|');
  if (!saltBase64 || !hashBase64) return false;
  const expected = Buffer.from(hashBase64, 'base64');
  const actual = createHmac('sha1', Buffer.from(saltBase64, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function globMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return regex.test(name);
}

/** The key type written inside an SSH public-key blob (its first string). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** `SHA256:…` as OpenSSH prints it (base64 without padding). */
export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function verifyHostKey(entries: KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  const name = knownHostName(host, port);
  const keyType = keyTypeOfBlob(blob);
  const keyBase64 = blob.toString('base64');
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && hostMatchesPatterns(e.patterns, name));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.keyBase64 === keyBase64);
  if (revoked) return { status: 'revoked', source: revoked.source };
  const plain = forHost.filter((e) => !e.marker);
  const sameType = plain.filter((e) => e.keyType === keyType);
  if (sameType.some((e) => e.keyBase64 === keyBase64)) return { status: 'trusted' };
  if (sameType.length > 0) return { status: 'changed', change: 'key', known: sameType.map(knownHostKey) };
  // A server that offers only a type we have never seen for a host we know is as suspect as a
  // changed key (someone in between need only offer another type): refused, with what is known.
  if (plain.length > 0) return { status: 'changed', change: 'type', known: plain.map(knownHostKey) };
  return { status: 'unknown' };
}

function knownHostKey(entry: KnownHostEntry): KnownHostKey {
  return { keyType: entry.keyType, fingerprint: fingerprintOfBlob(Buffer.from(entry.keyBase64, 'base64')), source: entry.source };
}

export type CertificateVerdict =
  | { status: 'trusted' }
  | { status: 'revoked'; source: string }
  /** Not vouched for: OpenSSH then checks the certified key as a plain key, and so does Porthole. */
  | { status: 'untrusted'; reason: string; plainKey: Buffer };

/** A host certificate against the `@cert-authority` lines for this host, as ssh checks it. */
export function verifyHostCertificate(
  entries: KnownHostEntry[],
  host: string,
  port: number,
  blob: Buffer,
  nowSeconds: bigint,
): CertificateVerdict {
  const cert = parseHostCertificate(blob);
  const name = knownHostName(host, port);
  const forHost = entries.filter((e) => hostMatchesPatterns(e.patterns, name));
  const caBase64 = cert.signatureKey.toString('base64');
  const revoked = forHost.find(
    (e) => e.marker === 'revoked' && (e.keyBase64 === caBase64 || e.keyBase64 === cert.plainKey.toString('base64')),
  );
  if (revoked) return { status: 'revoked', source: revoked.source };
  const authority = forHost.find((e) => e.marker === 'cert-authority' && e.keyBase64 === caBase64);
  if (!authority)
    return {
      status: 'untrusted',
      reason: `its CA (${fingerprintOfBlob(cert.signatureKey)}) is not a @cert-authority for ${name}`,
      plainKey: cert.plainKey,
    };
  const problem = certificateProblem(cert, host, nowSeconds, (pattern, hostName) =>
    globMatches(pattern.toLowerCase(), hostName.toLowerCase()),
  );
  return problem ? { status: 'untrusted', reason: problem, plainKey: cert.plainKey } : { status: 'trusted' };
}

/** A line for Porthole's own known_hosts, hashed as `HashKnownHosts yes` writes it. */
export function knownHostsLine(host: string, port: number, blob: Buffer, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(knownHostName(host, port)).digest('base64');
  return `|1|${salt.toString('base64')}|${hash} ${keyTypeOfBlob(blob)} ${blob.toString('base64')}\n`;
}

/** ssh2's algorithm names for a known_hosts key type. */
const ALGORITHMS_BY_KEY_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};
const DEFAULT_ORDER = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * Host-key algorithms as OpenSSH orders them: certificates first when a CA is listed for this
 * host, then the types already known for it (otherwise the server may offer a type we have not
 * seen, and that is refused), then the rest; only those `supported` (what ssh2 can verify).
 */
export function preferredHostKeyAlgorithms(entries: KnownHostEntry[], host: string, port: number, supported: readonly string[]): string[] {
  const name = knownHostName(host, port);
  const forHost = entries.filter((e) => hostMatchesPatterns(e.patterns, name));
  const certificates = forHost.some((e) => e.marker === 'cert-authority') ? CERTIFICATE_ALGORITHMS : [];
  const known = forHost.filter((e) => !e.marker).flatMap((e) => ALGORITHMS_BY_KEY_TYPE[e.keyType] ?? []);
  return [...new Set([...certificates, ...known, ...DEFAULT_ORDER])].filter((algorithm) => supported.includes(algorithm));
}
