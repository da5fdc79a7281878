// Host certificates made by the real ssh-keygen (`-s ca -h -n principal`), checked against
// @cert-authority lines as OpenSSH checks them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent } from '../../../main/api';
import { PromptBroker } from '../../../main/prompts';
import { parseHostCertificate } from '../../../main/ssh/host-certificate';
import { HostKeyStore } from '../../../main/ssh/host-key-store';
import { fingerprintOfBlob, parseKnownHosts, verifyHostCertificate } from '../../../main/ssh/host-keys';

const dir = mkdtempSync(join(tmpdir(), 'porthole-cert-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function keygen(name: string, type: string): { file: string; publicLine: string; blob: Buffer } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', file]);
  const publicLine = readFileSync(`${file}.pub`, 'utf8').trim();
  return { file, publicLine, blob: Buffer.from(publicLine.split(' ')[1], 'base64') };
}

/** Signs `hostKey` with `ca` and returns the certificate blob. */
function sign(ca: { file: string }, hostKey: { file: string }, args: string[]): Buffer {
  execFileSync('ssh-keygen', ['-q', '-s', ca.file, '-I', 'test-cert', ...args, `${hostKey.file}.pub`]);
  return Buffer.from(readFileSync(`${hostKey.file}-cert.pub`, 'utf8').split(' ')[1], 'base64');
}

const now = BigInt(Math.floor(Date.now() / 1000));
const ca = keygen('ca', 'ed25519');
const otherCa = keygen('other_ca', 'ed25519');
const host = keygen('host', 'ed25519');
const authority = (patterns: string, key = ca) => parseKnownHosts(`@cert-authority ${patterns} ${key.publicLine}\n`, 'kh');

test('a host certificate signed by a CA listed for the host is trusted', () => {
  const cert = sign(ca, host, ['-h', '-n', 'login.example']);
  assert.deepEqual(verifyHostCertificate(authority('*.example'), 'login.example', 22, cert, now), { status: 'trusted' });
  assert.deepEqual(
    verifyHostCertificate(authority('[127.0.0.1]:2222'), '127.0.0.1', 2222, sign(ca, host, ['-h', '-n', '127.0.0.1']), now),
    { status: 'trusted' },
  );
});

test('the certificate carries the plain key it certifies, its principals and validity', () => {
  const parsed = parseHostCertificate(sign(ca, host, ['-h', '-n', 'a.example,b.example', '-V', '20200101:20300101']));
  assert.deepEqual(parsed.plainKey, host.blob);
  assert.equal(parsed.kind, 'host');
  assert.deepEqual(parsed.principals, ['a.example', 'b.example']);
  assert.equal(parsed.validBefore > parsed.validAfter, true);
});

test('a certificate from a CA not listed for this host is not trusted, and its plain key is checked instead', () => {
  const cert = sign(otherCa, host, ['-h', '-n', 'login.example']);
  const verdict = verifyHostCertificate(authority('login.example'), 'login.example', 22, cert, now);
  assert.equal(verdict.status, 'untrusted');
  assert.match(verdict.status === 'untrusted' ? verdict.reason : '', /its CA \(SHA256:.+\) is not a @cert-authority for login\.example/);
  assert.deepEqual(verdict.status === 'untrusted' && verdict.plainKey, host.blob);
  // The right CA, listed for other hosts only, does not count either.
  assert.equal(
    verifyHostCertificate(authority('*.other'), 'login.example', 22, sign(ca, host, ['-h', '-n', 'login.example']), now).status,
    'untrusted',
  );
});

test('a certificate for another host, a user certificate, an expired one, or one not yet valid is not trusted', () => {
  const check = (args: string[]) => {
    const verdict = verifyHostCertificate(authority('*'), 'login.example', 22, sign(ca, host, args), now);
    return verdict.status === 'untrusted' ? verdict.reason : verdict.status;
  };
  assert.equal(check(['-h', '-n', 'other.example']), 'it is for other.example, not login.example');
  assert.equal(check(['-h', '-n', '*.example']), 'trusted', 'principals may be patterns, as in OpenSSH');
  assert.equal(check(['-n', 'login.example']), 'it is a user certificate, not a host certificate');
  assert.match(check(['-h', '-n', 'login.example', '-V', '20200101:20200102']), /^it expired at 2020-01-02/);
  assert.match(check(['-h', '-n', 'login.example', '-V', '20990101:20990102']), /^it is not valid before 2099-01-01/);
});

test('a certificate altered after signing fails its signature check', () => {
  const cert = Buffer.from(sign(ca, host, ['-h', '-n', 'login.exampla']));
  // Rewrite the principal's last letter: the bytes the CA signed change, the layout does not.
  const at = cert.indexOf('login.exampla');
  cert.write('e', at + 'login.exampl'.length);
  const verdict = verifyHostCertificate(authority('*'), 'login.example', 22, cert, now);
  assert.equal(verdict.status === 'untrusted' && verdict.reason, 'its signature does not verify with the CA key');
});

test('ECDSA and RSA CAs and certified keys verify too', () => {
  for (const [caType, hostType] of [
    ['ecdsa', 'ecdsa'],
    ['rsa', 'rsa'],
    ['ecdsa', 'ed25519'],
  ]) {
    const typedCa = keygen(`ca_${caType}_${hostType}`, caType);
    const typedHost = keygen(`host_${caType}_${hostType}`, hostType);
    const cert = sign(typedCa, typedHost, ['-h', '-n', 'login.example']);
    assert.deepEqual(
      verifyHostCertificate(authority('*', typedCa), 'login.example', 22, cert, now),
      { status: 'trusted' },
      `${caType} CA, ${hostType} host key`,
    );
  }
});

test('a @revoked CA or certified key refuses the certificate', () => {
  const cert = sign(ca, host, ['-h', '-n', 'login.example']);
  const entries = parseKnownHosts(`@cert-authority * ${ca.publicLine}\n@revoked * ${ca.publicLine}\n`, 'kh');
  assert.deepEqual(verifyHostCertificate(entries, 'login.example', 22, cert, now), { status: 'revoked', source: 'kh:2' });
  const revokedHost = parseKnownHosts(`@cert-authority * ${ca.publicLine}\n@revoked * ${host.publicLine}\n`, 'kh');
  assert.equal(verifyHostCertificate(revokedHost, 'login.example', 22, cert, now).status, 'revoked');
});

test('a certificate that is not vouched for asks about its plain key, saying why, and the answer is remembered for that key', async () => {
  const home = mkdtempSync(join(dir, 'home-'));
  const asked: ApiEvent[] = [];
  const prompts: PromptBroker = new PromptBroker((event) => {
    asked.push(event);
    if (event.type === 'prompt') setImmediate(() => prompts.answer(event.prompt.id, { type: 'hostKey', trust: true }));
  });
  const store = new HostKeyStore({ home, portholeKnownHostsFile: join(home, 'porthole_known_hosts'), prompts, globalKnownHostsFiles: [] });
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
  const cert = sign(otherCa, host, ['-h', '-n', 'login.example']);
  await store.check('c', hop, cert);
  const prompt = asked.find((e) => e.type === 'prompt');
  assert.ok(prompt?.type === 'prompt' && prompt.prompt.type === 'hostKey');
  assert.equal(prompt.prompt.fingerprint, fingerprintOfBlob(host.blob));
  assert.match(prompt.prompt.certificateProblem ?? '', /host certificate was not accepted: its CA .* is not a @cert-authority/);
  asked.length = 0;
  await store.check('c', hop, cert);
  assert.deepEqual(asked, [], 'the plain key was remembered');
});
