// `npm run dist`: installers with electron-builder, for the targets this machine can build.
// electron-builder needs a real Electron to package. It fetches one itself on a machine with
// internet; PORTHOLE_ELECTRON_DIST may name an unpacked Electron instead. Without either, say so
// and stop: a package without Electron inside would not run, and must not pass for an installer.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronDir = join(root, 'node_modules/electron');
const pathFile = join(electronDir, 'path.txt');
const downloaded = existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8')));
const electronDist = process.env.PORTHOLE_ELECTRON_DIST ?? (downloaded ? join(electronDir, 'dist') : undefined);

if (!electronDist) {
  console.error('No Electron binary on this machine (node_modules/electron has none and PORTHOLE_ELECTRON_DIST is not set).');
  console.error('Installers need one: run `npm run dist` on a machine with internet, or set PORTHOLE_ELECTRON_DIST to an unpacked Electron.');
  process.exit(1);
}

const result = spawnSync(join(root, 'node_modules/.bin/electron-builder'), ['--linux', `--config.electronDist=${electronDist}`], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
