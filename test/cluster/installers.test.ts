// `npm run dist` (build/dist.mjs) builds the installers this machine can make, and each one
// holds the app, the agent, both Node.js runtimes, the desktop entry and the icon, at the
// version of package.json. It sits in the cluster stage because test/cluster/up is the step that
// installs Debian's packages, among them the 7za (p7zip-full) that tar.gz and zip need offline.
// Where no Electron could be downloaded the packages hold a stand-in: every file name says so,
// and the build says they do not run. The fuses (test/unit/build/required-fuses.ts) are checked
// only in packages with a real Electron.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { REQUIRED_FUSES } from '../unit/build/required-fuses';

/** The bytes '1' and '0' of the fuse wire, which @electron/fuses does not export. */
const FUSE_ENABLED = 49;
const FUSE_DISABLED = 48;

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const releaseDir = mkdtempSync(join(tmpdir(), 'porthole-release-'));
let buildOutput = '';
let artifacts: string[] = [];

before(() => {
  const built = spawnSync(process.execPath, [join(root, 'build/dist.mjs')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PORTHOLE_RELEASE_DIR: releaseDir },
    timeout: 600_000,
  });
  buildOutput = `${built.stdout}\n${built.stderr}`;
  assert.equal(built.status, 0, `npm run dist failed:\n${buildOutput.slice(-3000)}`);
  artifacts = readdirSync(releaseDir);
});

after(() => rmSync(releaseDir, { recursive: true, force: true }));

const standIn = () => buildOutput.includes('NOT RUNNABLE');
const runtimeFiles = () =>
  Object.values(
    (JSON.parse(readFileSync(join(root, 'dist/runtimes/manifest.json'), 'utf8')) as { runtimes: Record<string, { file: string }> })
      .runtimes,
  ).map((r) => r.file);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The agent this build packed (dist/agent.cjs may be rebuilt meanwhile by someone else's `npm run build`). */
const packedAgent = () => readFileSync(join(releaseDir, 'linux-unpacked/resources/agent/agent.cjs'));
const agentHash = () => {
  assert.ok(packedAgent().includes('sessions.connection'), 'the packed agent is the real agent bundle');
  return sha256(packedAgent());
};

function artifact(suffix: string): string {
  const name = artifacts.find((file) => file.endsWith(suffix));
  assert.ok(name, `no *${suffix} among ${artifacts.join(', ')}`);
  return join(releaseDir, name);
}

/** Every path in the package, with the folder a package puts the app in cut off. */
function assertHoldsTheApp(paths: string[], appDir: string, what: string) {
  const inApp = new Set(paths.filter((p) => p.startsWith(appDir)).map((p) => p.slice(appDir.length)));
  for (const file of [
    'resources/app.asar',
    'resources/agent/agent.cjs',
    'resources/agent/runtimes/manifest.json',
    ...runtimeFiles().map((f) => `resources/agent/runtimes/${f}`),
  ]) {
    assert.ok(inApp.has(file), `${what} holds ${file}`);
  }
  assert.equal(runtimeFiles().length, 2, 'runtimes for linux-x64 and linux-arm64');
}

test('the build names a stand-in for what it is, and says that it does not run', () => {
  if (!standIn()) return;
  assert.match(buildOutput, /not runnable|NOT RUNNABLE/);
  for (const file of artifacts.filter((f) => !f.endsWith('-unpacked') && /\.(deb|tar\.gz|zip|AppImage|rpm)$/.test(f)))
    assert.match(file, /electron-stand-in/);
});

test('the .deb holds the app, the agent, both runtimes, the desktop entry and the icon, at the package version', () => {
  const deb = artifact('.deb');
  assert.equal(execFileSync('dpkg-deb', ['-f', deb, 'Version'], { encoding: 'utf8' }).trim(), pkg.version);
  assert.equal(execFileSync('dpkg-deb', ['-f', deb, 'Package'], { encoding: 'utf8' }).trim(), pkg.name);
  assert.match(execFileSync('dpkg-deb', ['-I', deb], { encoding: 'utf8' }), /Depends: .*libnss3/);
  const paths = execFileSync('dpkg-deb', ['-c', deb], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(/\s+/)[5].replace(/^\.\//, ''));
  assertHoldsTheApp(paths, 'opt/Porthole/', 'the .deb');
  assert.ok(paths.includes('usr/share/applications/porthole.desktop'), 'the desktop entry');
  assert.ok(paths.includes('usr/share/icons/hicolor/512x512/apps/porthole.png'), 'the icon');
  const fsTar = execFileSync('dpkg-deb', ['--fsys-tarfile', deb], { maxBuffer: 512 * 1024 * 1024 });
  const fromDeb = (path: string) => execFileSync('tar', ['-xOf', '-', `./${path}`], { input: fsTar, maxBuffer: 64 * 1024 * 1024 });
  assert.match(fromDeb('usr/share/applications/porthole.desktop').toString(), /^Name=Porthole$/m);
  assert.equal(sha256(fromDeb('opt/Porthole/resources/agent/agent.cjs')), agentHash(), 'the agent is this build');
});

test('the tarball holds the app, the agent, both runtimes, the desktop entry and the icon, at the package version', () => {
  const tarball = artifact('.tar.gz');
  assert.ok(tarball.includes(`-${pkg.version}-`), 'the version is in the name');
  const paths = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\n')
    .filter(Boolean);
  const appDir = paths[0].split('/')[0] + '/';
  assert.ok(appDir.includes(pkg.version), `its folder ${appDir} names the version`);
  assertHoldsTheApp(paths, appDir, 'the tarball');
  assert.ok(paths.includes(`${appDir}porthole.desktop`) && paths.includes(`${appDir}porthole.png`), 'the desktop entry and the icon');
  assert.equal(
    sha256(execFileSync('tar', ['-xzOf', tarball, `${appDir}resources/agent/agent.cjs`], { maxBuffer: 64 * 1024 * 1024 })),
    agentHash(),
  );
});

test('the zip holds the same app', () => {
  const zip = artifact('.zip');
  const listing = execFileSync('7za', ['l', '-ba', '-slt', zip], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const paths = [...listing.matchAll(/^Path = (.*)$/gm)].map((m) => m[1]);
  assertHoldsTheApp(paths, '', 'the zip');
  assert.ok(paths.includes('porthole.desktop') && paths.includes('porthole.png'));
});

test('the app inside is this version', () => {
  const appPackage = JSON.parse(extractFile(join(releaseDir, 'linux-unpacked/resources/app.asar'), 'package.json').toString()) as {
    version: string;
  };
  assert.equal(appPackage.version, pkg.version);
});

test('the app inside holds no native module built for Node instead of Electron; N-API ones are unpacked', () => {
  // ssh2's sshcrypto.node beside the web host's bundle would not load in Electron (another ABI).
  // bufferutil's prebuilds are N-API, one build for Node and Electron, and must be real files.
  const nativeModules = listPackage(join(releaseDir, 'linux-unpacked/resources/app.asar'), { isPack: false }).filter((path) =>
    path.endsWith('.node'),
  );
  const napi = (path: string) => /^\/dist\/main\/prebuilds\/[a-z0-9-]+\/bufferutil\.node$/.test(path);
  assert.deepEqual(
    nativeModules.filter((path) => !napi(path)),
    [],
  );
  const linuxBuild = '/dist/main/prebuilds/linux-x64/bufferutil.node';
  assert.ok(nativeModules.includes(linuxBuild), `the package lacks ${linuxBuild}`);
  assert.ok(existsSync(join(releaseDir, 'linux-unpacked/resources/app.asar.unpacked', linuxBuild)), `${linuxBuild} is not unpacked`);
});

test('a real Electron in the package has every fuse Porthole requires (no RunAsNode, NODE_OPTIONS or inspector; only an integrity-checked app.asar; no file:// privileges; encrypted cookies)', async (t) => {
  const unpacked = join(releaseDir, 'linux-unpacked');
  if (standIn()) {
    t.skip('a stand-in has no fuses (the build left the fuse step out and said the packages do not run)');
    return;
  }
  const wire = await getCurrentFuseWire(join(unpacked, 'porthole'));
  const byName = (fuses: Partial<Record<FuseV1Options, number>>) =>
    Object.fromEntries(Object.entries(fuses).map(([n, value]) => [FuseV1Options[Number(n)], value]));
  const required = Object.fromEntries(Object.entries(REQUIRED_FUSES).map(([n, on]) => [n, on ? FUSE_ENABLED : FUSE_DISABLED]));
  const actual = Object.fromEntries(Object.keys(REQUIRED_FUSES).map((n) => [n, wire[Number(n) as FuseV1Options]]));
  assert.deepEqual(byName(actual), byName(required));
});
