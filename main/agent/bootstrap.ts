// Puts this build's agent on the login node: ~/.porthole/agent/<version>/agent.cjs, uploaded
// over SFTP to a name of its own and renamed into place, so two app instances uploading at
// once each rename a whole file and the last one wins with identical bytes.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SFTPWrapper } from 'ssh2';
import { PortholeError } from '../errors';
import type { RunResult } from '../ssh/connection';
import { agentDir, MIN_NODE_MAJOR, nodeMajor, prepareCommand } from './remote-commands';

export interface AgentBundle {
  version: string;
  /** SHA-256 of `contents`, hex. */
  hash: string;
  contents: Buffer;
}

export async function loadAgentBundle(file: string, version: string): Promise<AgentBundle> {
  let contents: Buffer;
  try {
    contents = await readFile(file);
  } catch (error) {
    throw new PortholeError(`The agent ${file} is missing: run \`npm run build\` first`, { cause: error });
  }
  return { version, contents, hash: createHash('sha256').update(contents).digest('hex') };
}

/** What bootstrap needs from the connection (an SshConnection, or a fake in tests). */
export interface BootstrapTarget {
  cluster: string;
  run(command: string, timeoutMs?: number): Promise<RunResult>;
  sftp(): Promise<SFTPWrapper>;
}

export async function installAgent(target: BootstrapTarget, bundle: AgentBundle): Promise<void> {
  const prepared = await target.run(prepareCommand(bundle.version), 30_000);
  if (prepared.code !== 0) {
    throw new PortholeError(
      `Could not create ~/${agentDir(bundle.version)} on cluster '${target.cluster}': ${prepared.stderr.trim() || `exit ${prepared.code}`}`,
    );
  }
  assertNodeUsable(target.cluster, prepared.stdout);
  const sftp = await target.sftp();
  const final = `${agentDir(bundle.version)}/agent.cjs`;
  const temporary = `${final}.${randomBytes(6).toString('hex')}.tmp`;
  await new Promise<void>((resolve, reject) =>
    sftp.writeFile(temporary, bundle.contents, { mode: 0o600 }, (error) =>
      error
        ? reject(new PortholeError(`Uploading the agent to cluster '${target.cluster}' failed: ${error.message}`, { cause: error }))
        : resolve(),
    ),
  );
  try {
    await new Promise<void>((resolve, reject) => sftp.ext_openssh_rename(temporary, final, (error) => (error ? reject(error) : resolve())));
  } catch (renameError) {
    // Without OpenSSH's posix-rename, plain SFTP rename refuses an existing target: another
    // instance put the same file there first, which is as good.
    await new Promise<void>((resolve) => sftp.unlink(temporary, () => resolve()));
    const exists = await new Promise<boolean>((resolve) => sftp.stat(final, (error) => resolve(!error)));
    if (!exists)
      throw new PortholeError(`Could not put the agent in place on cluster '${target.cluster}': ${(renameError as Error).message}`, {
        cause: renameError,
      });
  }
}

export function assertNodeUsable(cluster: string, nodeVersionOutput: string): void {
  const major = nodeMajor(nodeVersionOutput);
  if (major === null) {
    throw new PortholeError(
      `Cluster '${cluster}' has no Node.js on the login node (\`node\` ` +
        `is not on the PATH of a non-interactive SSH command). ` +
        `Porthole's agent needs Node.js ${MIN_NODE_MAJOR} or later: ask your admins, ` +
        `or install one under ~/.porthole/runtime/bin.`,
    );
  }
  if (major < MIN_NODE_MAJOR) {
    throw new PortholeError(
      `Cluster '${cluster}' has Node.js ${nodeVersionOutput.trim()} on the login node; ` +
        `Porthole's agent needs ${MIN_NODE_MAJOR} or later. ` +
        `Ask your admins, or install one under ~/.porthole/runtime/bin.`,
    );
  }
}
