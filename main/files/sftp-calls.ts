// ssh2's SFTP calls as promises, each failure keeping SFTP's status code (`code`) so that
// transfer-errors.ts can say what happened.
import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';

export type SftpError = Error & { code?: number };

function promised<T>(call: (done: (error: SftpError | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => call((error, value) => (error ? reject(error) : resolve(value as T))));
}

export const sftpCalls = {
  /** `wx`: created here and now, never an existing file opened. */
  createNew: (sftp: SFTPWrapper, path: string) => promised<Buffer>((done) => sftp.open(path, 'wx', { mode: 0o600 }, done)),
  close: (sftp: SFTPWrapper, handle: Buffer) => promised<void>((done) => sftp.close(handle, done)),
  unlink: (sftp: SFTPWrapper, path: string) => promised<void>((done) => sftp.unlink(path, done)),
  rename: (sftp: SFTPWrapper, from: string, to: string) => promised<void>((done) => sftp.rename(from, to, done)),
  mkdir: (sftp: SFTPWrapper, path: string) => promised<void>((done) => sftp.mkdir(path, { mode: 0o700 }, done)),
  readdir: (sftp: SFTPWrapper, path: string) => promised<FileEntryWithStats[]>((done) => sftp.readdir(path, done)),
  stat: (sftp: SFTPWrapper, path: string) => promised<Stats>((done) => sftp.stat(path, done)),
  /** The path's stats, or null when nothing is there. */
  statIfAny: (sftp: SFTPWrapper, path: string) =>
    sftpCalls.stat(sftp, path).catch((error: SftpError) => {
      if (error.code === 2) return null;
      throw error;
    }),
};
