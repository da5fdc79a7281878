import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  fingerprintOfBlob,
  hostMatchesPatterns,
  keyTypeOfBlob,
  knownHostsLine,
  parseKnownHosts,
  preferredHostKeyAlgorithms,
  verifyHostKey,
} from '../../../main/ssh/host-keys';

function blob(type: string, body: string): Buffer {
  const t = Buffer.from(type);
  const b = Buffer.from(body);
  const out = Buffer.alloc(8 + t.length + b.length);
  out.writeUInt32BE(t.length, 0);
  t.copy(out, 4);
  out.writeUInt32BE(b.length, 4 + t.length);
  b.copy(out, 8 + t.length);
  return out;
}

const keyA = blob('ssh-ed25519', 'A'.repeat(32));
const keyB = blob('ssh-ed25519', 'B'.repeat(32));
const rsa = blob('ssh-rsa', 'R'.repeat(64));

function hashed(name: string, salt = Buffer.from('0123456789abcdefghij')): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

test('reads the key type from the key itself', () => {
  assert.equal(keyTypeOfBlob(keyA), 'ssh-ed25519');
});

test('fingerprints are SHA256 in base64 without padding, as ssh-keygen -l prints', () => {
  assert.match(fingerprintOfBlob(keyA), /^SHA256:[A-Za-z0-9+/]{43}$/);
});

test('a known key on port 22 and on another port ([host]:port) is trusted', () => {
  const entries = parseKnownHosts(
    `login.example ssh-ed25519 ${keyA.toString('base64')}\n[login.example]:2222 ssh-ed25519 ${keyB.toString('base64')}\n`,
    'kh',
  );
  assert.deepEqual(verifyHostKey(entries, 'login.example', 22, keyA), { status: 'trusted' });
  assert.deepEqual(verifyHostKey(entries, 'login.example', 2222, keyB), { status: 'trusted' });
});

test('hashed entries (|1|salt|hash) match the right host only', () => {
  const entries = parseKnownHosts(`${hashed('[127.0.0.1]:2201')} ssh-ed25519 ${keyA.toString('base64')}\n`, 'kh');
  assert.deepEqual(verifyHostKey(entries, '127.0.0.1', 2201, keyA), { status: 'trusted' });
  assert.deepEqual(verifyHostKey(entries, '127.0.0.1', 2202, keyA), { status: 'unknown' });
});

test('a different key of the same type is a changed key, with the known fingerprint and where it is', () => {
  const entries = parseKnownHosts(`# comment\n\nlogin.example ssh-ed25519 ${keyA.toString('base64')}\n`, '/home/me/.ssh/known_hosts');
  const verdict = verifyHostKey(entries, 'login.example', 22, keyB);
  assert.deepEqual(verdict, {
    status: 'changed',
    change: 'key',
    known: [{ keyType: 'ssh-ed25519', fingerprint: fingerprintOfBlob(keyA), source: '/home/me/.ssh/known_hosts:3' }],
  });
});

test('a host never seen is unknown', () => {
  const entries = parseKnownHosts(`login.example ssh-rsa ${rsa.toString('base64')}\n`, 'kh');
  assert.deepEqual(verifyHostKey(entries, 'other.example', 22, keyA), { status: 'unknown' });
});

test('a key of a type never seen for a known host is refused as changed, listing every key known for it', () => {
  const entries = parseKnownHosts(
    `login.example ssh-rsa ${rsa.toString('base64')}\n*.example ssh-ed25519 ${keyB.toString('base64')}\n`,
    'kh',
  );
  const ecdsa = blob('ecdsa-sha2-nistp256', 'E'.repeat(65));
  assert.deepEqual(verifyHostKey(entries, 'login.example', 22, ecdsa), {
    status: 'changed',
    change: 'type',
    known: [
      { keyType: 'ssh-rsa', fingerprint: fingerprintOfBlob(rsa), source: 'kh:1' },
      { keyType: 'ssh-ed25519', fingerprint: fingerprintOfBlob(keyB), source: 'kh:2' },
    ],
  });
});

test('a @cert-authority line alone does not make a host known: a plain key of its is unknown, not changed', () => {
  const entries = parseKnownHosts(`@cert-authority login.example ssh-ed25519 ${keyB.toString('base64')}\n`, 'kh');
  assert.deepEqual(verifyHostKey(entries, 'login.example', 22, keyA), { status: 'unknown' });
});

test('wildcards, negation and @revoked follow OpenSSH', () => {
  assert.equal(hostMatchesPatterns('*.example,!bad.example', 'good.example'), true);
  assert.equal(hostMatchesPatterns('*.example,!bad.example', 'bad.example'), false);
  assert.equal(hostMatchesPatterns('log?n.example', 'login.example'), true);
  const entries = parseKnownHosts(
    `@revoked * ssh-ed25519 ${keyA.toString('base64')}\nlogin.example ssh-ed25519 ${keyA.toString('base64')}\n`,
    'kh',
  );
  assert.equal(verifyHostKey(entries, 'login.example', 22, keyA).status, 'revoked');
});

test('a line Porthole writes is hashed and matches back', () => {
  const line = knownHostsLine('127.0.0.1', 2201, keyA);
  assert.match(line, /^\|1\|/);
  assert.doesNotMatch(line, /127\.0\.0\.1/);
  assert.deepEqual(verifyHostKey(parseKnownHosts(line, 'p'), '127.0.0.1', 2201, keyA), { status: 'trusted' });
});

const plainAlgorithms = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

test('known key types are asked for first', () => {
  const entries = parseKnownHosts(`h ssh-rsa ${rsa.toString('base64')}\n`, 'kh');
  assert.deepEqual(preferredHostKeyAlgorithms(entries, 'h', 22, plainAlgorithms).slice(0, 3), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  assert.equal(preferredHostKeyAlgorithms([], 'h', 22, plainAlgorithms)[0], 'ssh-ed25519');
});

test('certificates are asked for first where a CA is listed for the host, and only when ssh2 can verify them', () => {
  const entries = parseKnownHosts(
    `@cert-authority *.example ssh-ed25519 ${keyB.toString('base64')}\nlogin.example ssh-rsa ${rsa.toString('base64')}\n`,
    'kh',
  );
  const withCertificates = [...plainAlgorithms, 'ssh-ed25519-cert-v01@openssh.com', 'ecdsa-sha2-nistp256-cert-v01@openssh.com'];
  assert.deepEqual(preferredHostKeyAlgorithms(entries, 'login.example', 22, withCertificates).slice(0, 3), [
    'ssh-ed25519-cert-v01@openssh.com',
    'ecdsa-sha2-nistp256-cert-v01@openssh.com',
    'rsa-sha2-512',
  ]);
  assert.equal(preferredHostKeyAlgorithms(entries, 'login.example', 22, plainAlgorithms)[0], 'rsa-sha2-512');
  assert.equal(preferredHostKeyAlgorithms(entries, 'other.org', 22, withCertificates)[0], 'ssh-ed25519');
});

test('a key the site lists in its global known_hosts is trusted without asking; Porthole writes only its own file', async () => {
  const { writeFile, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { HostKeyStore } = await import('../../../main/ssh/host-key-store');
  const { PromptBroker } = await import('../../../main/prompts');
  const { tempDir } = await import('../../cluster/fixture');
  const dir = tempDir('kh');
  const global = join(dir, 'ssh_known_hosts');
  await writeFile(global, `login.example ssh-ed25519 ${keyA.toString('base64')}\n`);
  const asked: unknown[] = [];
  const store = new HostKeyStore({
    home: dir,
    portholeKnownHostsFile: join(dir, 'porthole_known_hosts'),
    prompts: new PromptBroker((e) => asked.push(e)),
    globalKnownHostsFiles: [global],
  });
  const hop = {
    alias: 'login',
    hostName: 'login.example',
    port: 22,
    user: 'u',
    identityFiles: [],
    identityFilesExplicit: false,
    identityAgent: null,
    identitiesOnly: false,
    allowed: { publickey: true, keyboardInteractive: true, password: true },
    knownHostsFiles: [],
    serverAliveIntervalSeconds: 15,
    serverAliveCountMax: 3,
  };
  await store.check('c', hop, keyA);
  assert.deepEqual(asked, []);
  await assert.rejects(store.check('c', hop, keyB), /has changed/);
  assert.equal(await readFile(global, 'utf8'), `login.example ssh-ed25519 ${keyA.toString('base64')}\n`);
});
