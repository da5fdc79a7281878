// The SFTP layer of files into and out of a desktop (main/files/sftp-transfers.ts) against the
// test cluster's real sshd: bytes arrive whole with several writes outstanding, a half file
// never shows under its name, a taken name is numbered instead of overwritten, a cancel or a
// failing source leaves nothing behind, a full quota reaches the probe while the part file still
// fills it, and a download never overwrites a local file.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import { PART_FILE_PREFIX } from '../../../main/files/file-names';
import { createFreeFolder, downloadFile, ensureSubFolders, listFolder, uploadFile } from '../../../main/files/sftp-transfers';
import type { SshConnection } from '../../../main/ssh/connection';
import { limitHomeQuota, loadTestCluster, shellQuote, tempDir } from '../fixture';
import { Person, sshConnection, trustEveryHostKey } from './harness';

const state = loadTestCluster();
const MiB = 1024 * 1024;
let connection: SshConnection;
let sftp: SFTPWrapper;
let folder: string;

before(async () => {
  ({ connection } = await sshConnection(
    { name: 'files', host: 'porthole-test', sshConfigFile: state.sshConfigFile },
    new Person(trustEveryHostKey),
  ));
  await connection.connect();
  sftp = await connection.sftp();
  folder = (await connection.run('mktemp -d "$HOME/.porthole-files-test.XXXXXX"')).stdout.trim();
});

after(async () => {
  await connection.run(`rm -rf -- ${shellQuote(folder)}`);
  connection.disconnect();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function remoteNames(): Promise<string[]> {
  return (await connection.run(`ls -A ${shellQuote(folder)}`)).stdout.split('\n').filter(Boolean).sort();
}

async function remoteSha256(name: string): Promise<string> {
  return (await connection.run(`sha256sum -- ${shellQuote(`${folder}/${name}`)}`)).stdout.slice(0, 64);
}

/** A source that yields the bytes in 256 KiB pieces, as the upload socket passes the page's frames on. */
function sourceOf(bytes: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += 256 * 1024) yield bytes.subarray(at, at + 256 * 1024);
    })(),
  );
}

test('a 20 MiB upload arrives whole, with several writes outstanding and progress up to its size', async () => {
  const bytes = randomBytes(20 * MiB + 123);
  // Counts the WRITE requests waiting for their answer: one at a time would be a round trip per 64 KiB.
  const write = sftp.write.bind(sftp);
  let waiting = 0;
  let mostWaiting = 0;
  sftp.write = ((...args: Parameters<SFTPWrapper['write']>) => {
    waiting += 1;
    mostWaiting = Math.max(mostWaiting, waiting);
    const callback = args[5] as ((error?: Error | null) => void) | undefined;
    return write(args[0], args[1], args[2], args[3], args[4], (error?: Error | null) => {
      waiting -= 1;
      callback?.(error);
    });
  }) as SFTPWrapper['write'];
  const progress: number[] = [];
  try {
    const saved = await uploadFile(sftp, {
      folder,
      subPath: [],
      name: 'big.bin',
      source: sourceOf(bytes),
      onProgress: (n) => progress.push(n),
    });
    assert.equal(saved, 'big.bin');
  } finally {
    sftp.write = write;
  }
  assert.ok(mostWaiting > 4, `at most ${mostWaiting} writes were outstanding at once`);
  assert.equal(progress.at(-1), bytes.length);
  assert.equal(await remoteSha256('big.bin'), sha256(bytes));
  assert.deepEqual(await remoteNames(), ['big.bin']);
});

test('a name already taken is numbered, never overwritten, and the listing leaves part files out', async () => {
  const first = randomBytes(1000);
  const second = randomBytes(2000);
  assert.equal(await uploadFile(sftp, { folder, subPath: [], name: 'report.tar.gz', source: sourceOf(first) }), 'report.tar.gz');
  assert.equal(await uploadFile(sftp, { folder, subPath: [], name: 'report.tar.gz', source: sourceOf(second) }), 'report (2).tar.gz');
  assert.equal(await remoteSha256('report.tar.gz'), sha256(first));
  assert.equal(await remoteSha256('report (2).tar.gz'), sha256(second));
  await connection.run(`touch ${shellQuote(`${folder}/${PART_FILE_PREFIX}0123456789abcdef`)}`);
  const listed = await listFolder(sftp, folder);
  assert.deepEqual(
    listed.map((entry) => [entry.name, entry.kind, entry.size]),
    [
      ['big.bin', 'file', 20 * MiB + 123],
      ['report (2).tar.gz', 'file', 2000],
      ['report.tar.gz', 'file', 1000],
    ],
  );
  await connection.run(`rm -f ${shellQuote(`${folder}/${PART_FILE_PREFIX}0123456789abcdef`)}`);
});

test('a dropped folder gets a folder of its own, numbered when its name is taken, and its inner folders are made as needed', async () => {
  assert.equal(await createFreeFolder(sftp, folder, 'photos'), 'photos');
  assert.equal(await createFreeFolder(sftp, folder, 'photos'), 'photos (2)');
  await ensureSubFolders(sftp, folder, ['photos (2)', '2024', 'june']);
  const bytes = randomBytes(5000);
  const subPath = ['photos (2)', '2024', 'june'];
  assert.equal(await uploadFile(sftp, { folder, subPath, name: 'beach.jpg', source: sourceOf(bytes) }), 'beach.jpg');
  assert.equal(await remoteSha256('photos (2)/2024/june/beach.jpg'), sha256(bytes));
  await assert.rejects(ensureSubFolders(sftp, folder, ['photos (2)', '2024', 'june', 'beach.jpg']), {
    message: `beach.jpg: a file of that name is already in ${folder}/photos (2)/2024/june`,
  });
  await connection.run(`rm -rf -- ${shellQuote(`${folder}/photos`)} ${shellQuote(`${folder}/photos (2)`)}`);
});

test('an unsafe name is refused before anything is written, naming the file and what is allowed', async () => {
  await assert.rejects(uploadFile(sftp, { folder, subPath: [], name: '../escape', source: sourceOf(randomBytes(10)) }), {
    message: /^"\.\.\/escape" cannot be used: the name contains a "\/" or "\\"; use a name of 1 to 255 bytes/,
  });
  await assert.rejects(uploadFile(sftp, { folder, subPath: ['..'], name: 'x', source: sourceOf(randomBytes(10)) }), {
    message: /^"\.\." cannot be used/,
  });
  assert.equal((await connection.run(`ls -A ${shellQuote(`${folder}/..`)} | grep -c escape`)).stdout.trim(), '0');
});

test('a cancelled upload and one whose source fails leave no file, whole or half', async () => {
  const before = await remoteNames();
  const abort = new AbortController();
  const endless = new Readable({
    read() {
      this.push(randomBytes(256 * 1024));
    },
  });
  const cancelled = uploadFile(sftp, {
    folder,
    subPath: [],
    name: 'cancelled.bin',
    source: endless,
    signal: abort.signal,
    onProgress: (n) => n > 4 * MiB && abort.abort(),
  });
  await assert.rejects(cancelled, { message: 'Upload of cancelled.bin cancelled' });
  const failing = Readable.from(
    (async function* () {
      yield randomBytes(MiB);
      throw new Error('the page went away');
    })(),
  );
  await assert.rejects(
    uploadFile(sftp, { folder, subPath: [], name: 'failing.bin', source: failing }),
    /failing\.bin: .*the page went away/,
  );
  assert.deepEqual(await remoteNames(), before);
});

test('over the quota: SFTP says only "Failure", the probe runs while the part file still fills the quota, then it is removed', async () => {
  const before = await remoteNames();
  const liftLimit = limitHomeQuota(state.ssh.home, 4 * MiB);
  let partFilesAtProbe: string[] = [];
  try {
    await assert.rejects(
      uploadFile(sftp, {
        folder,
        subPath: [],
        name: 'too-big.bin',
        source: sourceOf(randomBytes(16 * MiB)),
        probe: async () => {
          partFilesAtProbe = (await remoteNames()).filter((name) => name.startsWith(PART_FILE_PREFIX));
          return 'EDQUOT';
        },
      }),
      (error: Error & { cause?: { code?: number } }) => {
        assert.equal(error.message, `too-big.bin: Disk quota exceeded on ${folder}: remove files there or ask the site for a larger quota`);
        assert.equal(error.cause?.code, 4, 'SFTP status FAILURE');
        return true;
      },
    );
  } finally {
    liftLimit();
  }
  assert.equal(partFilesAtProbe.length, 1);
  assert.deepEqual(await remoteNames(), before);
});

test('a download arrives with the same bytes, a second one is saved beside it, not over it, and a cancelled one leaves nothing', async () => {
  const downloads = tempDir('files-downloads');
  const expected = await remoteSha256('report.tar.gz');
  const first = await downloadFile(sftp, { folder, name: 'report.tar.gz', localFolder: downloads });
  const second = await downloadFile(sftp, { folder, name: 'report.tar.gz', localFolder: downloads });
  assert.equal(first, join(downloads, 'report.tar.gz'));
  assert.equal(second, join(downloads, 'report (2).tar.gz'));
  assert.equal(sha256(readFileSync(first)), expected);
  assert.equal(sha256(readFileSync(second)), expected);
  assert.deepEqual(readdirSync(downloads).sort(), ['report (2).tar.gz', 'report.tar.gz']);
  const abort = new AbortController();
  const cancelled = downloadFile(sftp, {
    folder,
    name: 'big.bin',
    localFolder: downloads,
    signal: abort.signal,
    onProgress: () => abort.abort(),
  });
  await assert.rejects(cancelled, { message: 'Download of big.bin cancelled' });
  assert.deepEqual(readdirSync(downloads).sort(), ['report (2).tar.gz', 'report.tar.gz'], 'nothing of the cancelled download stays');
  await assert.rejects(downloadFile(sftp, { folder, name: 'gone.txt', localFolder: downloads }), {
    message: `gone.txt: not in ${folder} any more`,
  });
  assert.equal(existsSync(join(downloads, 'gone.txt')), false);
});
