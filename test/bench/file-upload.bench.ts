// Upload throughput of a 256 MiB file into a session's files folder through Porthole next to
// `scp` of the same file in the same run, alternating, median of RUNS each (issue 18: goal ≥ 0.8
// of scp). Porthole's path as the page drives it: the upload socket on the viewer bridge (a `ws`
// client plays the page, 256 KiB frames within the 8 MiB window), then pipelined SFTP writes on
// the cluster's one SSH connection, part file then rename. The agent's one `files.folder` answer
// is played by a stand-in (the folder the bench made); everything else is the app's own code.
import { execFile, execFileSync } from 'node:child_process';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LiveCluster } from '../../main/live-cluster';
import { SessionFileTransfers } from '../../main/files/session-file-transfers';
import { uploadFile } from '../../main/files/sftp-transfers';
import { UploadEndpoint } from '../../main/files/upload-socket';
import { ViewerBridge } from '../../main/viewer-bridge/bridge';
import { loadTestCluster, tempDir } from '../cluster/fixture';
import { Person, sshConnection, trustEveryHostKey } from '../cluster/main/harness';
import { median, type Bench } from './figures';
import { MiB, RUNS, STREAM_BYTES, VIEWER_PAGE } from './stream-probes';

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
    const liveStandIn = { connection, agent: { call: async () => ({ folder: remote }) } } as unknown as LiveCluster;
    const transfers = new SessionFileTransfers({ connected: async () => liveStandIn, downloadsFolder: () => local, emit: () => undefined });
    const bridge = new ViewerBridge(() => Promise.reject(new Error('no viewer in this bench')), { uploads: new UploadEndpoint(transfers) });
    bridge.allowPageOrigins([VIEWER_PAGE]);
    await bridge.listen();
    const porthole: number[] = [];
    const sftpAlone: number[] = [];
    const scp: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const { savedAs, seconds } = await uploadInChild(bridge.uploadUrlFor({ cluster: 'bench', sessionId: '20261130-000000-bench' }), file);
      porthole.push(STREAM_BYTES / MiB / seconds);
      await connection.run(`rm -f "${remote}/${savedAs}"`);
      let started = performance.now();
      const direct = await uploadFile(await connection.sftp(), {
        folder: remote,
        subPath: [],
        name: 'direct.bin',
        source: createReadStream(file),
      });
      sftpAlone.push(STREAM_BYTES / MiB / ((performance.now() - started) / 1000));
      await connection.run(`rm -f "${remote}/${direct}"`);
      started = performance.now();
      execFileSync('scp', ['-q', '-F', state.sshConfigFile, file, `porthole-test:${remote}/scp.bin`]);
      scp.push(STREAM_BYTES / MiB / ((performance.now() - started) / 1000));
      await connection.run(`rm -f "${remote}/scp.bin"`);
    }
    context.note(
      `${RUNS} alternating runs of ${STREAM_BYTES / MiB} MiB each; Porthole ${porthole.map(Math.round).join(', ')} MiB/s, SFTP layer alone ${sftpAlone.map(Math.round).join(', ')} MiB/s, scp ${scp.map(Math.round).join(', ')} MiB/s`,
    );
    context.figure({
      name: 'upload of 256 MiB through Porthole (upload socket, pipelined SFTP)',
      value: median(porthole),
      unit: 'MiB/s',
      baseline: { name: 'scp', value: median(scp) },
      goal: 'ratio ≥ 0.8',
    });
    // Where the time goes: the same upload from a file main reads itself, without the socket.
    context.figure({
      name: 'upload of 256 MiB by the SFTP layer alone (main reads the file)',
      value: median(sftpAlone),
      unit: 'MiB/s',
      baseline: { name: 'scp', value: median(scp) },
    });
    await bridge.close();
  } finally {
    await connection.run(`rm -rf "${remote}"`).catch(() => undefined);
    connection.disconnect();
  }
};
export default bench;

/**
 * Runs the page's side in a process of its own (upload-page.mjs), as a browser's page is; resolves
 * with the name it was saved as and the seconds from the socket's opening to that answer.
 * Asynchronous: the bridge it talks to runs in this process.
 */
function uploadInChild(url: string, file: string): Promise<{ savedAs: string; seconds: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(__dirname, 'upload-page.mjs'), url, VIEWER_PAGE, file],
      { encoding: 'utf8' },
      (error, stdout, stderr) => {
        const result = (stdout.trim() ? JSON.parse(stdout) : {}) as { savedAs?: string; error?: string; ms?: number };
        if (error || !result.savedAs || !result.ms)
          return reject(new Error(`the upload failed: ${result.error ?? stderr ?? error?.message}`));
        resolve({ savedAs: result.savedAs, seconds: result.ms / 1000 });
      },
    );
  });
}
