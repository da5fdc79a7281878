// The test cluster for the e2e tests. test/cluster/fixture.ts (whose types are used here) reads
// its path with import.meta.url, which Playwright's CommonJS loader cannot import, so the same
// state file is read here and checked for the fields these tests use.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestCluster } from '../cluster/fixture';

export type { TestCluster };

const clusterJson = join(__dirname, '../cluster/state/cluster.json');

export function readTestCluster(): TestCluster {
  let parsed: TestCluster;
  try {
    parsed = JSON.parse(readFileSync(clusterJson, 'utf8')) as TestCluster;
  } catch (cause) {
    throw new Error(`No test cluster: cannot read ${clusterJson}. Run \`bash test/cluster/up\` first.`, { cause });
  }
  for (const [field, value] of Object.entries({ 'ssh.host': parsed.ssh?.host, 'ssh.port': parsed.ssh?.port, 'ssh.hostKeyFingerprint': parsed.ssh?.hostKeyFingerprint, sshConfigFile: parsed.sshConfigFile })) {
    if (value === undefined) throw new Error(`${clusterJson} lacks ${field}; run \`bash test/cluster/up\` again.`);
  }
  return parsed;
}

/** Runs a command as the test user on the login node, through the cluster's ssh_config. */
export function sshRun(cluster: TestCluster, command: string, timeoutMs = 30_000): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', ['-F', cluster.sshConfigFile, '-o', 'ConnectTimeout=10', 'porthole-test', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: code ?? -1 });
    });
  });
}

/** Starts a command as the test user that keeps running (an X client in a job); stop it by PID. */
export function sshStart(cluster: TestCluster, command: string): { pid: number; stop(): void; output(): string } {
  const child = spawn('ssh', ['-F', cluster.sshConfigFile, '-o', 'ConnectTimeout=10', 'porthole-test', command], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return {
    pid: child.pid!,
    output: () => output,
    stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
    },
  };
}
