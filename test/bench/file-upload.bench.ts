// Upload throughput of a 256 MiB file into a session's files folder through Porthole's SFTP
// upload (main/files/sftp-transfers.ts: pipelined writes on the cluster's one SSH connection,
// part file then rename) next to `scp` of the same file in the same run, alternating, median of
// RUNS each (issue 18: goal ≥ 0.8 of scp). The page → main hop (a WebSocket on loopback) is left
// out: it is not what SSH makes slow.
import { execFileSync } from 'node:child_process';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { uploadFile } from '../../main/files/sftp-transfers';
import { loadTestCluster, tempDir } from '../cluster/fixture';
import { Person, sshConnection, trustEveryHostKey } from '../cluster/main/harness';
import { median, type Bench } from './figures';
import { MiB, RUNS, STREAM_BYTES } from './stream-probes';

const bench: Bench = async (context) => {
  const state = loadTestCluster();
  const local = tempDir('bench-upload');
  const file = join(local, 'upload.bin');
  // Random bytes: SSH does not compress here, but a file of zeros would flatter any layer that did.
  writeFileSync(file, randomBytes(STREAM_BYTES));
  const { connection } = await sshConnection(
    { name: 'bench', host: 'porthole-test', sshConfigFile: state.sshConfigFile },
    new Person(trustEveryHostKey),
  );
  await connection.connect();
  const remote = (await connection.run('mktemp -d "$HOME/.porthole-bench-upload.XXXXXX"')).stdout.trim();
  try {
    const sftp = await connection.sftp();
    const porthole: number[] = [];
    const scp: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      let started = performance.now();
      const savedAs = await uploadFile(sftp, { folder: remote, subPath: [], name: 'upload.bin', source: createReadStream(file) });
      porthole.push(STREAM_BYTES / MiB / ((performance.now() - started) / 1000));
      await connection.run(`rm -f "${remote}/${savedAs}"`);
      started = performance.now();
      execFileSync('scp', ['-q', '-F', state.sshConfigFile, file, `porthole-test:${remote}/scp.bin`]);
      scp.push(STREAM_BYTES / MiB / ((performance.now() - started) / 1000));
      await connection.run(`rm -f "${remote}/scp.bin"`);
    }
    context.note(
      `${RUNS} alternating runs of ${STREAM_BYTES / MiB} MiB each; Porthole ${porthole.map(Math.round).join(', ')} MiB/s, scp ${scp.map(Math.round).join(', ')} MiB/s`,
    );
    context.figure({
      name: 'upload of 256 MiB through Porthole (SFTP, pipelined)',
      value: median(porthole),
      unit: 'MiB/s',
      baseline: { name: 'scp', value: median(scp) },
      goal: 'ratio ≥ 0.8',
    });
  } finally {
    await connection.run(`rm -rf "${remote}"`).catch(() => undefined);
    connection.disconnect();
  }
};
export default bench;
