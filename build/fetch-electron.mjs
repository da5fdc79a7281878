// postinstall: fetch Electron's binary when this machine can, and carry on when it cannot.
// Electron 42+ no longer downloads at install time (its package has no install script; the
// binary is fetched on first use), so `npm ci` always succeeds. Here we try once, with a time
// limit, so that a workstation with internet gets a runnable app straight after `npm ci`, and a
// machine without it gets a clear line instead of a failed install. `npm start` then runs the
// web host (`porthole serve`) instead of the window.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const electronDir = fileURLToPath(new URL('../node_modules/electron/', import.meta.url));
const installScript = join(electronDir, 'install.js');

function installedBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : null;
}

if (!existsSync(installScript)) process.exit(0); // a production install without devDependencies
if (installedBinary()) process.exit(0);

const result = spawnSync(process.execPath, [installScript], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
if (result.status === 0 && installedBinary()) {
  console.log('Electron binary downloaded: `npm start` opens the Porthole window.');
} else {
  const why =
    String(result.stderr ?? '')
      .split('\n')
      .find((line) => /Error|ENOTFOUND|ECONNREFUSED|EAI_AGAIN/.test(line)) ?? 'no download';
  console.log(`Electron's binary could not be downloaded (${why.trim()}).`);
  console.log('Porthole still works: `npm start` runs `porthole serve` and prints the URL to open in a browser.');
}
