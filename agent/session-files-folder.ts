// The folder a session's dropped files go to (docs/architecture.md §4): `files/` in the session's
// own folder, or a folder of the home the template names (`files.folder`, checked by the template
// schema: relative, no `..`). The agent resolves and creates it, so main never builds a remote
// path from free text; and it is the agent, a process on the shared file system, that can learn
// why a write failed where SFTP only says "Failure" (a full quota and a full disk look the same).
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { SessionFiles } from './session-files';
import type { TemplateCatalog } from './template-loader';

/** What a write in the folder fails with now, as the file system says it; null when a write succeeds. */
export interface WriteProbe {
  code: string | null;
  message?: string;
}

/** A write this big meets a quota or a full disk even when a few blocks are left over. */
const PROBE_BYTES = 1024 * 1024;

export function sessionFilesFolder(files: SessionFiles, catalog: TemplateCatalog, id: string): string {
  const record = files.readRecord(id);
  const named = catalog.templates.get(record.templateId)?.file.files?.folder;
  if (named) {
    const folder = join(files.home, named);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    return folder;
  }
  const folder = join(files.dirOf(id), 'files');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  return folder;
}

/** Writes (then removes) a probe file in the folder, to name the errno a failed upload met. */
export function probeWrite(folder: string): WriteProbe {
  const probe = join(folder, `.porthole-probe-${randomBytes(6).toString('hex')}`);
  let fd: number | null = null;
  try {
    fd = openSync(probe, 'wx', 0o600);
    // A write that meets the limit part-way returns short; the next one gets the errno.
    const zeros = Buffer.alloc(PROBE_BYTES);
    for (let written = 0; written < PROBE_BYTES;) written += writeSync(fd, zeros, written);
    return { code: null };
  } catch (error) {
    const { errno, message } = error as NodeJS.ErrnoException;
    return { code: errnoName(errno), message };
  } finally {
    if (fd !== null) closeSync(fd);
    rmSync(probe, { force: true });
  }
}

/** The errno's name (EDQUOT): libuv has none for some (its `code` is then "Unknown system error -122"). */
function errnoName(errno: number | undefined): string {
  const found = Object.entries(constants.errno).find(([, number]) => number === Math.abs(errno ?? 0));
  return found ? found[0] : `errno ${errno}`;
}
