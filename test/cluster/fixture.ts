// The one support module for the local test cluster, used by the cluster tests, the e2e tests
// and the bench: test/cluster/state/cluster.json (written by `bash test/cluster/up`), read and
// checked here; commands run as the test user on the login side through the same SSH
// configuration a person would use; shell quoting for those commands; and temporary folders
// that are removed when the test process ends, passed or failed.
// Paths come from __dirname, not import.meta.url: Playwright loads this file as CommonJS.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface TestCluster {
  ssh: {
    host: string;
    port: number;
    user: string;
    identityFile: string;
    knownHostsFile: string;
    hostKeyFingerprint: string;
    home: string;
    /** The cluster's login nodes: login1 is `host`:`port` above; login2 has namespaces and a host key of its own. */
    hosts: LoginHost[];
  };
  /** Holds `Host porthole-test` (and -jump, -via-jump, -kbd, -login2). */
  sshConfigFile: string;
  /** A second sshd on 127.0.0.1 for ProxyJump tests: same user and key as `ssh`. */
  jump: { host: string; port: number; user: string };
  /** A second user who signs in by answering a password prompt (keyboard-interactive). */
  keyboardInteractive: { host: string; port: number; user: string; password: string; responses: string[] };
  /** A user whose SSH sessions have no `node` on the PATH (a login node without Node.js), with its own ssh_config. */
  noNode: { sshConfigFile: string; sshHost: string; host: string; port: number; user: string; home: string };
  /** Another Unix user of the same nodes, with no login: tests act as it on a node (nsenter + setpriv). */
  intruder: { user: string; uid: number };
  /** A second user who signs in by SSH with a key of their own (`sshHost` on login1, `sshHostLogin2` on login2): the one a desktop is shared with. */
  colleague: { user: string; uid: number; home: string; identityFile: string; sshHost: string; sshHostLogin2: string };
  /** Each home under `mountpoint` is a btrfs subvolume with a quota group, none limited: `btrfs qgroup limit <size>|none <home>`. */
  homeQuota: { mountpoint: string };
  redis: { url: string; sentinels: { host: string; port: number }[]; sentinelMasterName: string };
  slurm: {
    conf: string;
    /** gpu allows only the default account (allowAccounts). */
    partitions: { name: string; default: boolean; gres: string[]; allowAccounts?: string[] }[];
    nodes: { name: string; address: string; netns: string; sshPort: number }[];
    loginAddress: string;
    /** The test user's accounts (slurmdbd), the default first, with the QOS each allows. */
    accounts: { name: string; default: boolean; qos: string[] }[];
    /** Each QOS's wall-time limit in minutes (null: none); a job over it is refused at submission. */
    qos: { name: string; maxWallMinutes: number | null }[];
  };
  stateDir: string;
  /** Daemon name → the PID file `up` wrote for it. */
  pidFiles: Record<string, string>;
}

export interface LoginHost {
  name: string;
  host: string;
  port: number;
  hostKeyFingerprint: string;
  /** Stopping the process in it (by PID) models the login node going down. */
  sshdPidFile: string;
  /** login2's network namespace (login1 is this machine's own). */
  netns?: string;
}

export const projectRoot = join(__dirname, '../..');
/** PORTHOLE_TEST_CLUSTER_JSON points the tests at another cluster's description. */
const clusterJsonFile = process.env.PORTHOLE_TEST_CLUSTER_JSON ?? join(__dirname, 'state/cluster.json');
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
  ['noNode.sshConfigFile', 'path'],
  ['noNode.sshHost', 'string'],
  ['intruder.user', 'string'],
  ['intruder.uid', 'number'],
  ['redis.url', 'string'],
  ['slurm.conf', 'path'],
  ['slurm.partitions', 'array'],
  ['slurm.nodes', 'array'],
  ['slurm.accounts', 'array'],
  ['slurm.qos', 'array'],
  ['ssh.hosts', 'array'],
  ['colleague.user', 'string'],
  ['colleague.uid', 'number'],
  ['colleague.identityFile', 'path'],
  ['colleague.sshHost', 'string'],
  ['homeQuota.mountpoint', 'path'],
];

function describeProblems(value: unknown): string[] {
  const problems: string[] = [];
  for (const [path, kind] of requiredFields) {
    const field = path
      .split('.')
      .reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), value);
    if (!fieldKinds[kind].accepts(field)) problems.push(`${path} should be ${fieldKinds[kind].described}`);
  }
  return problems;
}

export interface SshRunResult {
  stdout: string;
  stderr: string;
  /** The remote command's exit status; 255 when ssh itself failed; -1 when it was stopped at the timeout. */
  code: number;
}

function sshArgs(command: string): string[] {
  return ['-F', loadTestCluster().sshConfigFile, '-o', 'ConnectTimeout=10', LOGIN_HOST, command];
}

/** Runs `command` as the test user on the login side: `ssh -F <sshConfigFile> porthole-test`. */
export function sshRun(command: string, options: { timeoutMs?: number; input?: string } = {}): Promise<SshRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', sshArgs(command), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut)
        resolve({ stdout, stderr: `${stderr}[sshRun] \`${command}\` on ${LOGIN_HOST}: no end after ${timeoutMs} ms`, code: -1 });
      else resolve({ stdout, stderr, code: code ?? -1 });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Starts a command as the test user that keeps running (an X client in a job); stop it by PID. */
export function sshStart(command: string): { pid: number; stop(): void; output(): string } {
  const child = spawn('ssh', sshArgs(command), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    pid: child.pid!,
    output: () => output,
    stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
    },
  };
}

/** `text` as one single-quoted shell word. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

const tempDirs: string[] = [];
// 'exit' comes after every test of the file, whatever their outcome (node:test and Playwright alike).
process.once('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Limits a home's quota (its btrfs quota group, cluster.json `homeQuota`) to what it uses now
 * plus `headroomBytes`; returns what lifts the limit again (call it in a `finally`). btrfs
 * refuses a limit below the current use, hence the headroom. Its accounting settles only when a
 * transaction commits: a limit set just after files were removed would be measured from stale
 * figures, and lifting a limit while the group is at it fails with "Disk quota exceeded" until
 * the removal commits (seen here). Syncing first settles both.
 */
export function limitHomeQuota(home: string, headroomBytes: number): () => void {
  const sync = () => execFileSync('btrfs', ['filesystem', 'sync', home]);
  sync();
  // `--raw -f`: the last line is this subvolume's own group, sizes in bytes: "0/259 <referenced> <exclusive> <path>".
  const shown = execFileSync('btrfs', ['qgroup', 'show', '--raw', '-f', home], { encoding: 'utf8' }).trim().split('\n');
  const referenced = Number(shown[shown.length - 1].trim().split(/\s+/)[1]);
  if (!Number.isFinite(referenced)) throw new Error(`cannot read the quota group of ${home}: ${shown.join(' / ')}`);
  execFileSync('btrfs', ['qgroup', 'limit', String(referenced + headroomBytes), home]);
  return () => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        execFileSync('btrfs', ['qgroup', 'limit', 'none', home], { stdio: 'pipe' });
        return;
      } catch (error) {
        if (attempt === 5) throw error;
        sync();
      }
    }
  };
}

/** A new folder /tmp/porthole-<prefix>-XXXXXX, removed when this process ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `porthole-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
