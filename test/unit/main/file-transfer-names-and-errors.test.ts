// Names of files moved into and out of a desktop, the numbered name a taken one gets, and the
// words a failed write is explained with (SFTP's bare "Failure" plus the errno the agent's probe met).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileNameError, numberedName } from '../../../main/files/file-names';
import { SFTP_STATUS, writeFailureWords } from '../../../main/files/transfer-errors';

describe('file names', () => {
  it('accepts names people give files, spaces, brackets and other scripts included', () => {
    for (const name of ['notes.txt', 'data (v1).bin', '.bashrc', 'résumé.pdf', '数据.csv', 'a'.repeat(255)])
      assert.equal(fileNameError(name), null, name);
  });

  it('refuses unsafe names, naming the file, what is wrong and what is allowed', () => {
    const cases: [string, RegExp][] = [
      ['', /^"" cannot be used: the name is empty; use a name of 1 to 255 bytes/],
      ['..', /^"\.\." cannot be used: "\.\." names a folder, not a file/],
      ['.', /names a folder/],
      ['../etc/passwd', /contains a "\/"/],
      ['a\\b', /contains a "\/" or "\\"/],
      ['line\nbreak', /^"line\\nbreak" cannot be used: the name contains a control character; use /],
      ['esc\u001b[31m', /control character/],
      ['del\u007f', /control character/],
      ['é'.repeat(128), /the name is 256 bytes long/],
      ['.porthole-part-0123', /keeps for half-written files/],
    ];
    for (const [name, expected] of cases) assert.match(fileNameError(name) ?? 'accepted', expected, JSON.stringify(name));
  });
});

describe('numbered names for a name already taken', () => {
  it('numbers before the extension, keeping a double extension and a hidden file’s dot', () => {
    assert.equal(numberedName('report.pdf', 1), 'report.pdf');
    assert.equal(numberedName('report.pdf', 2), 'report (2).pdf');
    assert.equal(numberedName('archive.tar.gz', 3), 'archive (3).tar.gz');
    assert.equal(numberedName('.bashrc', 2), '.bashrc (2)');
    assert.equal(numberedName('README', 2), 'README (2)');
    assert.equal(numberedName('data (v1).bin', 2), 'data (v1) (2).bin');
  });
});

describe('why a write failed', () => {
  const folder = '/home/ada/.porthole/sessions/s1/files';
  const failure = { folder, sftpCode: SFTP_STATUS.failure, sftpMessage: 'Failure' };

  it('names a full quota, a full disk and a read-only file system that SFTP reports alike as "Failure"', () => {
    assert.equal(
      writeFailureWords({ ...failure, probedErrno: 'EDQUOT' }),
      `Disk quota exceeded on ${folder}: remove files there or ask the site for a larger quota`,
    );
    assert.equal(writeFailureWords({ ...failure, probedErrno: 'ENOSPC' }), `No space left on the file system of ${folder}`);
    assert.equal(writeFailureWords({ ...failure, probedErrno: 'EROFS' }), `${folder} is on a read-only file system`);
  });

  it('says permission denied from SFTP’s own code, and keeps SFTP’s words when nothing tells more', () => {
    assert.equal(
      writeFailureWords({ folder, sftpCode: SFTP_STATUS.permissionDenied, sftpMessage: 'Permission denied' }),
      `Permission denied: you may not write in ${folder}`,
    );
    assert.equal(writeFailureWords({ ...failure, probedErrno: null }), `Writing in ${folder} failed: the cluster said "Failure"`);
    assert.equal(writeFailureWords({ ...failure, probedErrno: 'EIO' }), `Writing in ${folder} failed (EIO: Failure)`);
  });
});
