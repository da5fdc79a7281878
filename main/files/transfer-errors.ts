// Why a transfer failed, in a person's words. SFTP (version 3, which OpenSSH speaks) has few
// status codes: a full quota, a full disk and a read-only file system all come back as
// "Failure", so a write failure is explained with what the agent's probe write met (errno).

/** SFTP status codes (draft-ietf-secsh-filexfer-02, §7). */
export const SFTP_STATUS = { noSuchFile: 2, permissionDenied: 3, failure: 4, connectionLost: 7 } as const;

const ERRNO_WORDS: Record<string, (folder: string) => string> = {
  EDQUOT: (folder) => `Disk quota exceeded on ${folder}: remove files there or ask the site for a larger quota`,
  ENOSPC: (folder) => `No space left on the file system of ${folder}`,
  EACCES: (folder) => `Permission denied: you may not write in ${folder}`,
  EPERM: (folder) => `Permission denied: you may not write in ${folder}`,
  EROFS: (folder) => `${folder} is on a read-only file system`,
};

/** What a write into `folder` failed with: SFTP's status code, and the errno a probe write met (if asked). */
export interface WriteFailure {
  folder: string;
  sftpCode?: number;
  sftpMessage: string;
  /** The errno of the agent's probe write in the folder just after (null: the probe could write). */
  probedErrno?: string | null;
}

export function writeFailureWords(failure: WriteFailure): string {
  if (failure.probedErrno && ERRNO_WORDS[failure.probedErrno]) return ERRNO_WORDS[failure.probedErrno](failure.folder);
  if (failure.sftpCode === SFTP_STATUS.permissionDenied) return ERRNO_WORDS.EACCES(failure.folder);
  if (failure.sftpCode === SFTP_STATUS.noSuchFile) return `The folder ${failure.folder} is gone from the cluster`;
  if (failure.sftpCode === SFTP_STATUS.connectionLost) return 'The connection to the cluster was lost';
  if (failure.probedErrno) return `Writing in ${failure.folder} failed (${failure.probedErrno}: ${failure.sftpMessage})`;
  return `Writing in ${failure.folder} failed: the cluster said "${failure.sftpMessage}"`;
}

/** Whether a probe can tell more than SFTP did: only the catch-all "Failure" hides an errno. */
export function needsProbe(sftpCode: number | undefined): boolean {
  return sftpCode === SFTP_STATUS.failure;
}
