// `porthole start` decides between Electron and the web host: Electron only when the binary
// that node_modules/electron/path.txt names is really there (it cannot be downloaded on
// machines without internet, docs/field-notes.md).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBinary(projectRoot: string): string | null {
  const pathFile = join(projectRoot, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  if (!relative) return null;
  const binary = join(projectRoot, 'node_modules/electron/dist', relative);
  return existsSync(binary) ? binary : null;
}
