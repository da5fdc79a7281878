// Puts a Node.js runtime on a login node that has no Node 18+: the archive for its
// `uname -m` goes up once over SFTP to a name of its own, is checked and unpacked there, and is
// renamed into ~/.porthole/runtime/<version>/ (remote-commands.ts). A later connect finds it on
// the PATH and uploads nothing; a runtime that is there but damaged is replaced.
import { randomBytes } from 'node:crypto';
import { PortholeError } from '../errors';
import type { RunResult } from '../ssh/connection';
import type { BootstrapTarget } from './bootstrap';
import type { NodeRuntime, NodeRuntimeCatalog } from './node-runtimes';
import { linkRuntimeCommand, placeRuntimeCommand, runtimeProbeCommand } from './remote-commands';

export interface UploadProgress {
  doneBytes: number;
  totalBytes: number;
}

export interface RuntimeInstallResult {
  /** `relinked`: the runtime was there and whole, only ~/.porthole/runtime/bin was missing. */
  action: 'uploaded' | 'relinked';
  runtime: NodeRuntime;
}

export async function installRuntime(
  target: BootstrapTarget,
  catalog: NodeRuntimeCatalog,
  onProgress: (progress: UploadProgress) => void,
): Promise<RuntimeInstallResult> {
  const probe = await target.run(runtimeProbeCommand(catalog.nodeVersion), 30_000);
  const [machine = '', installedSha = ''] = probe.stdout
    .trim()
    .split('\n')
    .map((line) => line.trim());
  if (probe.code !== 0 || !machine) {
    throw new PortholeError(
      `Could not inspect the login node of cluster '${target.cluster}' ` +
        `for a Node.js runtime: ${probe.stderr.trim() || `exit ${probe.code}`}`,
    );
  }
  const runtime = catalog.forMachine(machine);
  if (!runtime) {
    throw new PortholeError(
      `Cluster '${target.cluster}' has no Node.js 18 or later on its login node, which is ${machine}; ` +
        `Porthole carries Node.js for ${catalog.machines.join(', ')} only. ` +
        `Ask your admins for Node.js 18+, or install one under ~/.porthole/runtime/bin.`,
    );
  }
  if (installedSha === runtime.nodeSha256) {
    check(target.cluster, runtime, await target.run(linkRuntimeCommand(runtime.nodeVersion, temporaryName()), 30_000));
    return { action: 'relinked', runtime };
  }
  const upload = temporaryName();
  await uploadFile(target, runtime, `.porthole/runtime/${upload}`, onProgress);
  check(
    target.cluster,
    runtime,
    await target.run(placeRuntimeCommand(runtime.nodeVersion, upload, runtime.sha256, runtime.nodeSha256), 180_000),
  );
  return { action: 'uploaded', runtime };
}

/** Each instance's own name, so two uploading at once never write the same file. */
function temporaryName(): string {
  return `.upload-${randomBytes(6).toString('hex')}`;
}

function check(cluster: string, runtime: NodeRuntime, result: RunResult): void {
  if (result.code !== 0) {
    throw new PortholeError(
      `Could not install Node.js ${runtime.nodeVersion} in ~/.porthole/runtime ` +
        `on cluster '${cluster}': ${result.stderr.trim() || `exit ${result.code}`}`,
    );
  }
}

async function uploadFile(
  target: BootstrapTarget,
  runtime: NodeRuntime,
  remotePath: string,
  onProgress: (progress: UploadProgress) => void,
): Promise<void> {
  const sftp = await target.sftp();
  let lastPercent = -1;
  onProgress({ doneBytes: 0, totalBytes: runtime.bytes });
  await new Promise<void>((resolve, reject) =>
    sftp.fastPut(
      runtime.archiveFile,
      remotePath,
      {
        mode: 0o600,
        // At most one report per percent: each one is an event to every window.
        step: (done, _chunk, total) => {
          const percent = Math.floor((done / total) * 100);
          if (percent === lastPercent) return;
          lastPercent = percent;
          onProgress({ doneBytes: done, totalBytes: total });
        },
      },
      (error) =>
        error
          ? reject(
              new PortholeError(`Uploading Node.js ${runtime.nodeVersion} to cluster '${target.cluster}' failed: ${error.message}`, {
                cause: error,
              }),
            )
          : resolve(),
    ),
  ).catch((error: unknown) => {
    sftp.unlink(remotePath, () => undefined);
    throw error;
  });
}
