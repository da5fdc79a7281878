// The login-node side of the Node.js runtime, run here in a real /bin/sh with a home of
// its own: the serve wrapper's Node check, the script that puts an uploaded runtime in place,
// and the catalog that picks a runtime for a login node's `uname -m`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, readlinkSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRuntimeCatalog } from '../../../main/agent/node-runtimes';
import {
  AGENT_MISSING_EXIT,
  linkRuntimeCommand,
  NODE_MISSING_EXIT,
  placeRuntimeCommand,
  serveCommand,
} from '../../../main/agent/remote-commands';
import { tempDir } from '../../cluster/fixture';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Runs a command line the way sshd would, with only `PATH` and `HOME` set. */
function runRemote(command: string, home: string, path = '/usr/bin:/bin') {
  return spawnSync('/bin/sh', ['-c', command], { env: { HOME: home, PATH: path }, encoding: 'utf8' });
}

function fakeNode(dir: string, version: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'node'), `#!/bin/sh\necho ${version}\n`);
  chmodSync(join(dir, 'node'), 0o755);
}

test('the serve wrapper asks for Node.js first: none, or one older than 18, exits 98 so a runtime can go up', () => {
  const home = tempDir('home');
  const serve = serveCommand('0.1.0', 'a'.repeat(64));
  const withNode = (version: string) => {
    const bin = tempDir('bin');
    fakeNode(bin, version);
    return runRemote(serve, home, `${bin}:/usr/bin:/bin`).status;
  };
  assert.equal(runRemote(serve, home, '/nonexistent').status, NODE_MISSING_EXIT);
  assert.equal(withNode('v16.20.2'), NODE_MISSING_EXIT);
  assert.equal(withNode('v8.0.0'), NODE_MISSING_EXIT);
  for (const version of ['v18.0.0', 'v22.23.3', 'v100.1.0'])
    assert.equal(withNode(version), AGENT_MISSING_EXIT, `${version} is enough; the agent is what is missing`);
});

test('the serve wrapper finds a runtime in ~/.porthole/runtime/bin ahead of the PATH', () => {
  const home = tempDir('home');
  fakeNode(join(home, '.porthole/runtime/bin'), 'v22.23.3');
  assert.equal(runRemote(serveCommand('0.1.0', 'a'.repeat(64)), home, '/nonexistent:/usr/bin:/bin').status, AGENT_MISSING_EXIT);
});

/** An uploaded runtime archive in a fresh home, as the SFTP upload leaves it. */
function uploadedRuntime(version: string) {
  const home = tempDir('home');
  const source = tempDir('runtime');
  fakeNode(join(source, 'bin'), `v${version}`);
  writeFileSync(join(source, 'LICENSE'), 'MIT\n');
  const runtimeRoot = join(home, '.porthole/runtime');
  mkdirSync(runtimeRoot, { recursive: true });
  const upload = '.upload-0123456789ab';
  execFileSync('tar', ['-czf', join(runtimeRoot, upload), '-C', source, 'bin/node', 'LICENSE']);
  return {
    home,
    runtimeRoot,
    upload,
    archiveSha: sha256(readFileSync(join(runtimeRoot, upload))),
    nodeSha: sha256(readFileSync(join(source, 'bin/node'))),
  };
}

test('an uploaded runtime is checked, unpacked, renamed into place and put on the PATH, leaving nothing behind', () => {
  const { home, runtimeRoot, upload, archiveSha, nodeSha } = uploadedRuntime('22.23.3');
  const placed = runRemote(placeRuntimeCommand('22.23.3', upload, archiveSha, nodeSha), home);
  assert.equal(placed.status, 0, placed.stderr);
  assert.deepEqual(readdirSync(runtimeRoot).sort(), ['22.23.3', 'bin']);
  assert.equal(readlinkSync(join(runtimeRoot, 'bin')), '22.23.3/bin');
  assert.equal(runRemote('PATH="$HOME/.porthole/runtime/bin:$PATH"; node -v', home).stdout.trim(), 'v22.23.3');
});

test('a runtime that arrived damaged is refused and removed; a damaged one in place is replaced', () => {
  const damaged = uploadedRuntime('22.23.3');
  const refused = runRemote(placeRuntimeCommand('22.23.3', damaged.upload, 'b'.repeat(64), damaged.nodeSha), damaged.home);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /arrived damaged/);
  assert.deepEqual(readdirSync(damaged.runtimeRoot), []);

  const replaced = uploadedRuntime('22.23.3');
  fakeNode(join(replaced.runtimeRoot, '22.23.3/bin'), 'garbage');
  const placed = runRemote(placeRuntimeCommand('22.23.3', replaced.upload, replaced.archiveSha, replaced.nodeSha), replaced.home);
  assert.equal(placed.status, 0, placed.stderr);
  assert.equal(sha256(readFileSync(join(replaced.runtimeRoot, '22.23.3/bin/node'))), replaced.nodeSha);
  assert.deepEqual(readdirSync(replaced.runtimeRoot).sort(), ['22.23.3', 'bin']);
});

test('relinking points ~/.porthole/runtime/bin at a runtime that is already there', () => {
  const home = tempDir('home');
  fakeNode(join(home, '.porthole/runtime/22.23.3/bin'), 'v22.23.3');
  assert.equal(runRemote(linkRuntimeCommand('22.23.3', '.upload-aaaaaaaaaaaa'), home).status, 0);
  assert.equal(readlinkSync(join(home, '.porthole/runtime/bin')), '22.23.3/bin');
});

test('values that are not a version, a checksum or an upload name never reach a command', () => {
  const sum = 'c'.repeat(64);
  assert.throws(() => placeRuntimeCommand('22; rm -rf ~', '.upload-0123456789ab', sum, sum), /not a Node\.js version/);
  assert.throws(() => placeRuntimeCommand('22.23.3', '../../etc/passwd', sum, sum), /not an upload name/);
  assert.throws(() => placeRuntimeCommand('22.23.3', '.upload-0123456789ab', 'x', sum), /SHA-256/);
  assert.throws(() => linkRuntimeCommand('22.23.3', 'bin'), /not a temporary name/);
});

test('the catalog gives the runtime for x86_64 and aarch64 login nodes, none for others, and nothing without a manifest', async () => {
  const dir = tempDir('runtimes');
  assert.equal(await loadRuntimeCatalog(dir), null);
  const entry = (arch: string) => ({
    file: `node-v22.23.3-linux-${arch}.tar.gz`,
    sha256: 'a'.repeat(64),
    nodeSha256: 'b'.repeat(64),
    bytes: 42,
  });
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ nodeVersion: '22.23.3', runtimes: { x64: entry('x64'), arm64: entry('arm64') } }),
  );
  const catalog = (await loadRuntimeCatalog(dir))!;
  assert.equal(catalog.forMachine('x86_64\n')?.arch, 'x64');
  assert.equal(catalog.forMachine('aarch64')?.archiveFile, join(dir, 'node-v22.23.3-linux-arm64.tar.gz'));
  assert.equal(catalog.forMachine('ppc64le'), null);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ nodeVersion: 'latest', runtimes: {} }));
  await assert.rejects(loadRuntimeCatalog(dir), /is not a runtime manifest/);
});
