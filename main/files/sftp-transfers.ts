// Files into and out of a session's folder over the cluster's SFTP session. An upload goes to a
// hidden part file and is renamed to its name only once complete, so a half file never shows
// under the real name; the rename takes the next free name (`a (2).txt`) rather than replace a
// file. A download does the same on the workstation. Both stream: nothing holds a whole file.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, unlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper } from 'ssh2';
import type { RemoteFileEntry } from '../api';
import { PortholeError } from '../errors';
import { fileNameError, numberedName, PART_FILE_PREFIX } from './file-names';
import { PipelinedSftpWriter, UPLOAD_PIPELINE, type PipelineShape } from './sftp-pipelined-writer';
import { sftpCalls, type SftpError } from './sftp-calls';
import { needsProbe, writeFailureWords } from './transfer-errors';

/** Enough numbered names for any folder a person keeps; past it something else is wrong. */
const MAX_NUMBERED = 1000;

export type { RemoteFileEntry };

export interface UploadRequest {
  /** The session's files folder, as the agent resolved it. */
  folder: string;
  /** Sub-folders of it the file goes into (a dropped folder's own structure); each a checked name. */
  subPath: string[];
  name: string;
  source: Readable;
  onProgress?: (writtenBytes: number) => void;
  signal?: AbortSignal;
  /** The errno a write in the folder meets now (the agent's probe), asked only when SFTP says just "Failure". */
  probe?: () => Promise<string | null>;
  pipeline?: PipelineShape;
}

/** Thrown for a failure of one file that the person can act on; the message names the file. */
export class TransferError extends PortholeError {}

function partName(): string {
  return `${PART_FILE_PREFIX}${randomBytes(8).toString('hex')}`;
}

function checkedNames(names: string[]): void {
  for (const name of names) {
    const problem = fileNameError(name);
    if (problem) throw new TransferError(problem, { field: 'name' });
  }
}

/** Uploads one file; resolves with the name it was saved under (numbered when the name was taken). */
export async function uploadFile(sftp: SFTPWrapper, request: UploadRequest): Promise<string> {
  checkedNames([...request.subPath, request.name]);
  const folder = posix.join(request.folder, ...request.subPath);
  const part = posix.join(folder, partName());
  const where = posix.join(request.folder, ...request.subPath);
  let handle: Buffer;
  try {
    handle = await sftpCalls.createNew(sftp, part);
  } catch (error) {
    throw await failure(error as SftpError, request, where);
  }
  const writer = new PipelinedSftpWriter(sftp, handle, request.pipeline ?? UPLOAD_PIPELINE);
  if (request.onProgress) writer.on('acknowledged', request.onProgress);
  try {
    await pipeline(request.source, writer, { signal: request.signal });
    await sftpCalls.close(sftp, handle);
  } catch (error) {
    // The part file stays until the probe has run: removing it first would free the quota it filled.
    const reason = request.signal?.aborted
      ? new TransferError(`Upload of ${request.name} cancelled`)
      : await failure(error as SftpError, request, where);
    await sftpCalls.close(sftp, handle).catch(() => undefined);
    await sftpCalls.unlink(sftp, part).catch(() => undefined);
    throw reason;
  }
  try {
    return await renameToFreeName(sftp, part, folder, request.name);
  } catch (error) {
    await sftpCalls.unlink(sftp, part).catch(() => undefined);
    throw error;
  }
}

async function failure(error: SftpError, request: UploadRequest, where: string): Promise<TransferError> {
  if (error instanceof TransferError) return error;
  const probedErrno = needsProbe(error.code) && request.probe ? await request.probe().catch(() => undefined) : undefined;
  const words = writeFailureWords({ folder: where, sftpCode: error.code, sftpMessage: error.message, probedErrno });
  return new TransferError(`${request.name}: ${words}`, { cause: error });
}

/** Renames the part file to `name`, or the first free `name (n)`: never over an existing file. */
async function renameToFreeName(sftp: SFTPWrapper, part: string, folder: string, name: string): Promise<string> {
  for (let n = 1; n <= MAX_NUMBERED; n += 1) {
    const candidate = numberedName(name, n);
    const target = posix.join(folder, candidate);
    if (await sftpCalls.statIfAny(sftp, target)) continue;
    try {
      // OpenSSH's sftp-server renames a file with link() then unlink(): it refuses, rather than
      // replaces, a name that appeared since the stat above.
      await sftpCalls.rename(sftp, part, target);
      return candidate;
    } catch (error) {
      if (!(await sftpCalls.statIfAny(sftp, target)))
        throw new TransferError(`${name}: could not be renamed into place: ${(error as Error).message}`, { cause: error });
    }
  }
  throw new TransferError(`${name}: ${MAX_NUMBERED} files of that name are already in ${folder}`);
}

/** Makes a new folder for a dropped folder: `name`, or the first free `name (n)`. Resolves with the name made. */
export async function createFreeFolder(sftp: SFTPWrapper, parent: string, name: string): Promise<string> {
  checkedNames([name]);
  for (let n = 1; n <= MAX_NUMBERED; n += 1) {
    const candidate = numberedName(name, n);
    try {
      await sftpCalls.mkdir(sftp, posix.join(parent, candidate));
      return candidate;
    } catch (error) {
      if (!(await sftpCalls.statIfAny(sftp, posix.join(parent, candidate))))
        throw new TransferError(`${name}: could not make the folder in ${parent}: ${(error as Error).message}`, { cause: error });
    }
  }
  throw new TransferError(`${name}: ${MAX_NUMBERED} folders of that name are already in ${parent}`);
}

/** Makes each sub-folder of `subPath` under `folder` that is not there yet (a dropped folder's inner folders). */
export async function ensureSubFolders(sftp: SFTPWrapper, folder: string, subPath: string[]): Promise<void> {
  checkedNames(subPath);
  let path = folder;
  for (const segment of subPath) {
    path = posix.join(path, segment);
    const stats = await sftpCalls.statIfAny(sftp, path);
    if (!stats) await sftpCalls.mkdir(sftp, path);
    else if (!stats.isDirectory()) throw new TransferError(`${segment}: a file of that name is already in ${posix.dirname(path)}`);
  }
}

/** The folder's files and folders, names sorted, without the part files of uploads under way. */
export async function listFolder(sftp: SFTPWrapper, folder: string): Promise<RemoteFileEntry[]> {
  const entries = await sftpCalls.readdir(sftp, folder);
  return entries
    .filter((entry) => !entry.filename.startsWith(PART_FILE_PREFIX) && entry.filename !== '.' && entry.filename !== '..')
    .map((entry) => ({
      name: entry.filename,
      kind: entry.attrs.isDirectory() ? ('folder' as const) : ('file' as const),
      size: entry.attrs.size,
      modifiedAt: entry.attrs.mtime * 1000,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface DownloadRequest {
  folder: string;
  name: string;
  /** The workstation's folder it goes to (its Downloads). */
  localFolder: string;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
}

/** Downloads one file of the folder; resolves with the local path it was saved as (numbered when the name was taken). */
export async function downloadFile(sftp: SFTPWrapper, request: DownloadRequest): Promise<string> {
  checkedNames([request.name]);
  const remote = posix.join(request.folder, request.name);
  const stats = await sftpCalls.stat(sftp, remote).catch((error: SftpError) => {
    throw new TransferError(`${request.name}: ${error.code === 2 ? `not in ${request.folder} any more` : error.message}`, { cause: error });
  });
  if (!stats.isFile()) throw new TransferError(`${request.name} is not a file: only files can be downloaded`);
  const part = join(request.localFolder, partName());
  const source = sftp.createReadStream(remote);
  let done = 0;
  source.on('data', (chunk: Buffer) => {
    done += chunk.length;
    request.onProgress?.(done, stats.size);
  });
  try {
    await pipeline(source, createWriteStream(part, { flags: 'wx', mode: 0o600 }), { signal: request.signal });
  } catch (error) {
    await unlink(part).catch(() => undefined);
    if (request.signal?.aborted) throw new TransferError(`Download of ${request.name} cancelled`);
    throw new TransferError(`${request.name}: the download failed: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await linkToFreeName(part, request.localFolder, request.name);
  } finally {
    await unlink(part).catch(() => undefined);
  }
}

/** link() fails on an existing name where rename() would replace it: the local side's no-overwrite. */
async function linkToFreeName(part: string, folder: string, name: string): Promise<string> {
  for (let n = 1; n <= MAX_NUMBERED; n += 1) {
    const target = join(folder, numberedName(name, n));
    try {
      await link(part, target);
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new TransferError(`${name}: could not be saved as ${target}: ${(error as Error).message}`, { cause: error });
    }
  }
  throw new TransferError(`${name}: ${MAX_NUMBERED} files of that name are already in ${folder}`);
}
