// What the agent reads from a Sunshine session and from a GPU node's probe.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseConnectionFile } from '../../../agent/connection-file';
import { parseGpuProbe } from '../../../agent/gpu-node-checks';
import { certificatePath, sunshineCertSha256 } from '../../../agent/sunshine-certificate';

describe('connection.json of a Sunshine session', () => {
  it('reads host and port base, and refuses what is not one', () => {
    assert.deepEqual(parseConnectionFile('{"kind":"sunshine","node":"gpu07","host":"10.1.2.7","portBase":47989}', 's'), {
      kind: 'sunshine',
      node: 'gpu07',
      host: '10.1.2.7',
      portBase: 47989,
    });
    assert.throws(
      () => parseConnectionFile('{"kind":"sunshine","node":"gpu07","host":"-oProxyCommand=x","portBase":47989}', 's'),
      /connection.json of session 's' is not one this agent can read/,
    );
    assert.throws(
      () => parseConnectionFile('{"kind":"sunshine","node":"gpu07","host":"10.1.2.7","portBase":65530}', 's'),
      /not one this agent can read/,
    );
  });
});

describe("the fingerprint of a Sunshine session's certificate", () => {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-sunshine-cert-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is the SHA-256 of the DER of the certificate its sunshine.conf names, as openssl computes it', () => {
    const cert = join(dir, 'sunshine-cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=Sunshine Gamestream Host',
      ],
      { stdio: 'ignore' },
    );
    const byOpenssl = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' })
      .split('=')[1]
      .trim()
      .replace(/:/g, '')
      .toLowerCase();
    const config = `sunshine_name = Porthole gpu07\nport = 40100\ncert = ${cert}\npkey = ${join(dir, 'key.pem')}\n`;
    assert.equal(certificatePath(config), cert);
    assert.equal(sunshineCertSha256(config, 's'), byOpenssl);
  });

  it('says why it cannot pin when the configuration names no certificate or the file is not one', () => {
    assert.throws(
      () => sunshineCertSha256(undefined, 's'),
      /Session 's' has no sunshine\.conf, so Sunshine's certificate is unknown: .*will not pair/,
    );
    assert.throws(
      () => sunshineCertSha256('port = 40100\ncert = relative.pem\n', 's'),
      /Session 's' has a sunshine\.conf without a `cert = \/absolute\/path` line/,
    );
    const notACertificate = join(dir, 'not-a-cert.pem');
    writeFileSync(notACertificate, 'hello\n');
    assert.throws(
      () => sunshineCertSha256(`cert = ${notACertificate}\n`, 's'),
      new RegExp(`Sunshine's certificate ${notACertificate} of session 's' cannot be read as a certificate`),
    );
  });
});

describe('doctor on a GPU node', () => {
  it('says when NVENC or /dev/uinput is missing, and what to do', () => {
    const [nvenc, uinput] = parseGpuProbe('node=gpu07\nnvenc=no-encoder\nuinput=missing\n', 'gpu');
    assert.equal(nvenc.status, 'warn');
    assert.match(nvenc.message, /The GPU of gpu07 \(gpu\) has no NVENC encoder: Sunshine falls back to software encoding/);
    assert.equal(uinput.status, 'warn');
    assert.match(uinput.message, /\/dev\/uinput on gpu07 \(gpu\) is missing: .*keyboard and mouse do not reach it/);
    assert.match(uinput.fix ?? '', /uinput module/);
  });

  it('is content with a GPU that has NVENC and a writable /dev/uinput', () => {
    const checks = parseGpuProbe('node=gpu07\nnvenc=yes NVIDIA L40S\nuinput=writable\n', 'gpu');
    assert.deepEqual(
      checks.map((c) => c.status),
      ['ok', 'ok'],
    );
    assert.match(checks[0].message, /NVENC on NVIDIA L40S/);
  });
});
