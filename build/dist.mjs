// `npm run dist`: installers with electron-builder (electron-builder.yml), for every target this
// machine can build.
//   With internet, electron-builder fetches Electron and its tools itself and builds the release
//   targets of electron-builder.yml for this OS (Linux: AppImage, deb, rpm, tar.gz; macOS: dmg;
//   Windows: nsis).
//   Without it (only the npm registry and Debian's packages reachable), it builds what needs no
//   download: dir, tar.gz, zip and deb, with Debian's 7za (p7zip-full) and build/fpm-deb.mjs.
// Electron comes from PORTHOLE_ELECTRON_DIST (an unpacked Electron), node_modules/electron when its
// binary was downloaded, or electron-builder's own download. Where none of these exists, the
// packages are built around a stand-in that is not Electron: named so in every file name, with a
// program that only says so, and this script ends by saying that the result does not run.
//   PORTHOLE_RELEASE_DIR   where the installers go (default: release/)
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeRuntimes } from './node-runtimes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const OFFLINE_TARGETS = ['dir', 'tar.gz', 'zip', 'deb'];
const STAND_IN_NOTICE =
  'This is not Electron. Porthole was packaged here around a stand-in, ' +
  'because no Electron binary could be downloaded on the machine that built it. ' +
  'It does not run: build the installers again with a real Electron (README, "Releases").';

function downloadedElectron() {
  const electronDir = join(root, 'node_modules/electron');
  const pathFile = join(electronDir, 'path.txt');
  return existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8')))
    ? join(electronDir, 'dist')
    : undefined;
}

/** electron-builder downloads from GitHub: if it answers, this machine can build everything for its OS. */
async function canDownloadTools() {
  try {
    await fetch('https://github.com', { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return true;
  } catch {
    return false;
  }
}

/** A folder shaped like an unpacked Linux Electron whose `electron` only says that it is not one. */
function makeStandIn() {
  const dir = join(root, 'dist/electron-stand-in');
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(join(dir, 'electron'), `#!/bin/sh\necho '${STAND_IN_NOTICE.replace(/'/g, '')}' >&2\nexit 1\n`);
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'NOT-ELECTRON-STAND-IN.txt'), `${STAND_IN_NOTICE}\n`);
  return dir;
}

function which(program) {
  const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

await ensureNodeRuntimes();
const online = await canDownloadTools();
const electronDist = process.env.PORTHOLE_ELECTRON_DIST ?? downloadedElectron();
const standIn = !electronDist && !online;
const output = process.env.PORTHOLE_RELEASE_DIR ?? join(root, 'release');

const config = { directories: { output } };
if (electronDist) config.electronDist = electronDist;
if (standIn) {
  config.electronDist = makeStandIn();
  // The fuses live in Electron's binary; a stand-in has none to flip (@electron/fuses would stop).
  config.electronFuses = null;
  config.artifactName = '${name}-${version}-electron-stand-in-${arch}.${ext}';
}

const { build, Platform } = require('electron-builder');
const platform = Platform.current();
let targets;
if (online) {
  targets = platform.createTarget();
} else {
  if (platform !== Platform.LINUX)
    fail('Without internet, installers can only be built on Linux (electron-builder downloads its tools for macOS and Windows targets).');
  process.env.ELECTRON_BUILDER_7ZIP_PATH ??=
    which('7za') ?? fail("Without internet, tar.gz and zip need Debian's 7za: apt-get install p7zip-full");
  if (!which('dpkg-deb')) fail('Without internet, the .deb needs dpkg-deb (Debian and Ubuntu have it).');
  process.env.CUSTOM_FPM_PATH ??= join(root, 'build/fpm-deb.mjs');
  targets = platform.createTarget(OFFLINE_TARGETS);
  console.log(
    `No internet: building ${OFFLINE_TARGETS.join(', ')}; AppImage and rpm are left out (electron-builder downloads their tools).`,
  );
}

// Uploading to GitHub releases only when asked (PORTHOLE_PUBLISH=always, with GH_TOKEN): under
// CI=true electron-builder would otherwise decide to upload by itself, and fail without a token.
const publish = process.env.PORTHOLE_PUBLISH === 'always' ? 'always' : 'never';
const artifacts = await build({ projectDir: root, targets, config, publish });
console.log('\nBuilt:');
for (const file of artifacts) console.log(`  ${file}  (${(statSync(file).size / 1e6).toFixed(1)} MB)`);
for (const entry of readdirSync(output).filter((name) => name.endsWith('-unpacked'))) console.log(`  ${join(output, entry)}/  (dir)`);
if (standIn) {
  console.log(`\nNOT RUNNABLE: these packages hold a stand-in, not Electron (${config.electronDist}).`);
  console.log('They show what goes into an installer and are checked by the tests; nobody can run them.');
  console.log('For real installers, run `npm run dist` on a machine with internet, or set PORTHOLE_ELECTRON_DIST to an unpacked Electron.');
}
