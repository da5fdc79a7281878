// The demo cluster: the local test cluster of a checkout (test/cluster/up), added as `demo`.
import { spawn } from 'node:child_process';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { ClusterConfig } from './api';
import { PortholeError } from './errors';

export const DEMO_CLUSTER = 'demo';

const clusterStateSchema = z.object({
  ssh: z.object({ host: z.string(), port: z.number(), user: z.string(), identityFile: z.string(), knownHostsFile: z.string() }),
  sshConfigFile: z.string(),
});

export type TestClusterState = z.infer<typeof clusterStateSchema>;

export async function readClusterState(projectRoot: string): Promise<TestClusterState> {
  const file = join(projectRoot, 'test/cluster/state/cluster.json');
  const text = await readFile(file, 'utf8').catch((error) => {
    throw new PortholeError(`${file} is missing: the test cluster did not start (run \`bash test/cluster/up\` to see why)`, {
      cause: error,
    });
  });
  const parsed = clusterStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new PortholeError(`${file} is not what test/cluster/up writes: ${parsed.error.issues[0].message}`, { cause: parsed.error });
  return parsed.data;
}

/** How many of up's last lines a failure carries: its error is usually among them. */
const FAILURE_TAIL_LINES = 12;

/**
 * Runs test/cluster/up, handing each line it prints (stdout and stderr) to `onLine` as it
 * comes: the window never sees the app's stdout, so progress and errors must go through here.
 */
export function runClusterUp(projectRoot: string, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(projectRoot, 'test/cluster/up')], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        if (!line.trim()) return;
        tail.push(line);
        if (tail.length > FAILURE_TAIL_LINES) tail.shift();
        onLine(line);
      });
    }
    child.on('error', (error) => reject(new PortholeError(`Could not run test/cluster/up: ${error.message}`, { cause: error })));
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new PortholeError(
              `test/cluster/up failed (exit ${code})` + (tail.length ? `; its last lines:\n${tail.join('\n')}` : ' and printed nothing'),
            ),
          ),
    );
  });
}

/**
 * Starts the local test cluster and returns it as cluster `demo`. Its host key was made on this
 * machine by `up` moments ago, so it is copied into Porthole's known_hosts instead of asking.
 */
export async function demoClusterFromCheckout(
  projectRoot: string,
  portholeKnownHostsFile: string,
  onLine: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<ClusterConfig> {
  await runClusterUp(projectRoot, onLine);
  const state = await readClusterState(projectRoot);
  const knownHosts = await readFile(state.ssh.knownHostsFile, 'utf8').catch(() => '');
  if (knownHosts.trim()) {
    await mkdir(dirname(portholeKnownHostsFile), { recursive: true, mode: 0o700 });
    const existing = await readFile(portholeKnownHostsFile, 'utf8').catch(() => '');
    const missing = knownHosts.split('\n').filter((line) => line.trim() && !existing.includes(line.trim()));
    if (missing.length) await appendFile(portholeKnownHostsFile, missing.join('\n') + '\n', { mode: 0o600 });
  }
  return { name: DEMO_CLUSTER, host: state.ssh.host, port: state.ssh.port, user: state.ssh.user, identityFile: state.ssh.identityFile };
}
