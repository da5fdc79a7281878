// The local test cluster as tests see it: test/cluster/state/cluster.json (written by
// `bash test/cluster/up`), read and checked once here, and a way to run a command as the
// test user on the login side through the same SSH configuration a person would use.
import { runCommand } from '../../agent/command-runner';
import { CommandError } from '../../agent/errors';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TestCluster {
  ssh: { host: string; port: number; user: string; identityFile: string; knownHostsFile: string; hostKeyFingerprint: string; home: string };
  /** Holds `Host porthole-test` (and -jump, -via-jump, -kbd). */
  sshConfigFile: string;
  /** A second sshd on 127.0.0.1 for ProxyJump tests: same user and key as `ssh`. */
  jump: { host: string; port: number; user: string };
  /** A second user who signs in by answering a password prompt (keyboard-interactive). */
  keyboardInteractive: { host: string; port: number; user: string; password: string; responses: string[] };
  /** A user whose SSH sessions have no `node` on the PATH (a login node without Node.js), with its own ssh_config. */
  noNode?: { sshConfigFile: string; sshHost: string; host: string; port: number; user: string; home: string };
  /** Another Unix user of the same nodes, with no login: tests act as it on a node (nsenter + setpriv). */
  intruder: { user: string; uid: number };
  redis: { url: string; sentinels: { host: string; port: number }[]; sentinelMasterName: string };
  slurm: {
    conf: string;
    partitions: { name: string; default: boolean; gres: string[] }[];
    nodes: { name: string; address: string; netns: string; sshPort: number }[];
    loginAddress: string;
  };
  stateDir: string;
  /** Daemon name → the PID file `up` wrote for it. */
  pidFiles: Record<string, string>;
}

export const clusterJsonFile = fileURLToPath(new URL('./state/cluster.json', import.meta.url));
const LOGIN_HOST = 'porthole-test';

/** Reads state/cluster.json; throws, saying what to run, when the cluster was never brought up. */
export function loadTestCluster(file = clusterJsonFile): TestCluster {
  if (!existsSync(file)) {
    throw new Error(`No test cluster: ${file} does not exist. Run \`bash test/cluster/up\` (as root) first.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`${file} is not valid JSON; run \`bash test/cluster/up\` again to rewrite it.`, { cause });
  }
  const problems = describeProblems(parsed);
  if (problems.length) {
    throw new Error(`${file} does not describe a test cluster (${problems.join('; ')}); run \`bash test/cluster/up\` again.`);
  }
  return parsed as TestCluster;
}

const fieldKinds = {
  string: { described: 'a string', accepts: (value: unknown) => typeof value === 'string' },
  number: { described: 'a number', accepts: (value: unknown) => typeof value === 'number' },
  path: { described: 'an absolute path', accepts: (value: unknown) => typeof value === 'string' && isAbsolute(value) },
  array: { described: 'an array', accepts: (value: unknown) => Array.isArray(value) },
};

/** Field path → what it must be. Only what tests rely on; `up` writes the rest. */
const requiredFields: [string, keyof typeof fieldKinds][] = [
  ['ssh.host', 'string'],
  ['ssh.port', 'number'],
  ['ssh.user', 'string'],
  ['ssh.identityFile', 'path'],
  ['ssh.knownHostsFile', 'path'],
  ['ssh.hostKeyFingerprint', 'string'],
  ['sshConfigFile', 'path'],
  ['jump.port', 'number'],
  ['keyboardInteractive.user', 'string'],
  ['keyboardInteractive.password', 'string'],
  ['intruder.user', 'string'],
  ['intruder.uid', 'number'],
  ['redis.url', 'string'],
  ['slurm.conf', 'path'],
  ['slurm.partitions', 'array'],
  ['slurm.nodes', 'array'],
];

function describeProblems(value: unknown): string[] {
  const problems: string[] = [];
  for (const [path, kind] of requiredFields) {
    const field = path.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), value);
    if (!fieldKinds[kind].accepts(field)) problems.push(`${path} should be ${fieldKinds[kind].described}`);
  }
  return problems;
}

export interface SshRunResult {
  stdout: string;
  stderr: string;
  /** The remote command's exit status; 255 when ssh itself failed; -1 on timeout. */
  code: number;
}

/** Runs `command` as the test user on the login side: `ssh -F <sshConfigFile> porthole-test`. */
export async function sshRun(command: string, options: { timeoutMs?: number; input?: string } = {}): Promise<SshRunResult> {
  const cluster = loadTestCluster();
  const args = ['-F', cluster.sshConfigFile, '-o', 'ConnectTimeout=10', LOGIN_HOST, command];
  try {
    return await runCommand('ssh', args, { timeoutMs: options.timeoutMs ?? 30_000, input: options.input });
  } catch (error) {
    // The agent's runner rejects when ssh did not finish in time (it was killed) or could not start.
    if (error instanceof CommandError) return { stdout: '', stderr: `[sshRun] \`${command}\` on ${LOGIN_HOST}: ${error.message}`, code: -1 };
    throw error;
  }
}

/** The project root, for tests that run test/cluster/up or down. */
export const projectRoot = join(fileURLToPath(new URL('.', import.meta.url)), '../..');
