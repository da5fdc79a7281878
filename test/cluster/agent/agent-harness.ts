// Drives the built agent (dist/agent.cjs) on the test cluster exactly as the app does: copied to
// ~/.porthole/agent/<version>/agent.cjs of the test user, run over ssh, `serve` over one ssh
// stdio channel, `relay <id>` as one exec channel per viewer stream.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadTestCluster, projectRoot, shellQuote, sshRun } from '../fixture';
import type { Session } from '../../../agent/protocol';
import { registryTtlSeconds } from '../../../agent/redis-registry';

export const AGENT_VERSION = JSON.parse(readFileSync(`${projectRoot}/package.json`, 'utf8')).version as string;
export const AGENT_FILE = `.porthole/agent/${AGENT_VERSION}/agent.cjs`;

/** Copies dist/agent.cjs to the test user's home (same place the app puts it). */
export function installAgent(extraTemplateDirs: string[] = []): void {
  const cluster = loadTestCluster();
  const mkdir = spawnSync(
    'ssh',
    ['-F', cluster.sshConfigFile, 'porthole-test', `mkdir -p ~/.porthole/agent/${AGENT_VERSION} ~/.porthole/templates`],
    { encoding: 'utf8' },
  );
  if (mkdir.status !== 0) throw new Error(`could not prepare the agent folder: ${mkdir.stderr}`);
  const copy = spawnSync('scp', ['-q', '-F', cluster.sshConfigFile, `${projectRoot}/dist/agent.cjs`, `porthole-test:${AGENT_FILE}.tmp`], {
    encoding: 'utf8',
  });
  if (copy.status !== 0) throw new Error(`scp of dist/agent.cjs failed (run node build/bundle.mjs first): ${copy.stderr}`);
  spawnSync('ssh', ['-F', cluster.sshConfigFile, 'porthole-test', `mv -f ${AGENT_FILE}.tmp ${AGENT_FILE}`]);
  for (const dir of extraTemplateDirs) {
    const copied = spawnSync('scp', ['-q', '-r', '-F', cluster.sshConfigFile, dir, 'porthole-test:.porthole/templates/'], {
      encoding: 'utf8',
    });
    if (copied.status !== 0) throw new Error(`could not copy template ${dir}: ${copied.stderr}`);
  }
}

/** `node agent.cjs <args…>` on the login side; each argument is passed as one word. */
/** Puts the FAKE Sunshine (test/fakes/fake-sunshine.mjs) on the cluster as `<bin>/sunshine`. */
export async function installFakeSunshine(bin: string): Promise<void> {
  const cluster = loadTestCluster();
  const made = await sshRun(`mkdir -p ${shellQuote(bin)}`);
  if (made.code !== 0) throw new Error(`mkdir ${bin} on the cluster: ${made.stderr}`);
  const copied = spawnSync(
    'scp',
    ['-q', '-F', cluster.sshConfigFile, `${projectRoot}/test/fakes/fake-sunshine.mjs`, `porthole-test:${bin}/sunshine`],
    {
      encoding: 'utf8',
    },
  );
  if (copied.status !== 0) throw new Error(`scp of the fake Sunshine: ${copied.stderr}`);
  await sshRun(`chmod 755 ${shellQuote(bin)}/sunshine`);
}

export async function agent(
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  const env = Object.entries(options.env ?? {})
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(' ');
  return sshRun(`${env} node ~/${AGENT_FILE} ${args.map(shellQuote).join(' ')}`, { timeoutMs: options.timeoutMs ?? 60_000 });
}

export async function agentJson<T>(args: string[], options: { env?: Record<string, string> } = {}): Promise<T> {
  const result = await agent([...args, '--json'], options);
  if (result.code !== 0) throw new Error(`agent ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export async function launch(templateId: string, params: Record<string, string>): Promise<Session> {
  return agentJson<Session>(['sessions.launch', templateId, ...Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`])]);
}

/** Asks `sessions.show` until `done` holds, or throws with the last session seen. */
export async function waitForSession(id: string, done: (s: Session) => boolean, timeoutMs = 60_000): Promise<Session> {
  const deadline = Date.now() + timeoutMs;
  let last: Session | undefined;
  while (Date.now() < deadline) {
    last = await agentJson<Session>(['sessions.show', id]);
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`session ${id} did not reach the expected state within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/** scancel every job of the test user that the agent started; keeps the cluster usable for others. */
export async function cancelAll(sessions: (Session | undefined)[]): Promise<void> {
  const jobIds = sessions.filter((s): s is Session => Boolean(s)).map((s) => s.jobId);
  if (jobIds.length) await sshRun(`scancel ${jobIds.map(shellQuote).join(' ')}`);
}

/** A long-running `ssh porthole-test <command>` whose stdin and stdout the test speaks through. */
export function sshChannel(command: string): ChildProcessWithoutNullStreams {
  const cluster = loadTestCluster();
  return spawn('ssh', ['-F', cluster.sshConfigFile, '-T', 'porthole-test', command], { stdio: ['pipe', 'pipe', 'pipe'] });
}

/** `serve` over one ssh channel: call() a method, notifications collected in `notes`. */
export function serveChannel(env: Record<string, string> = {}) {
  const envText = Object.entries(env)
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join(' ');
  const child = sshChannel(`${envText} exec node ~/${AGENT_FILE} serve`);
  const waiting = new Map<
    number,
    (message: { result?: unknown; error?: { code: number; message: string; data?: { field?: string } } }) => void
  >();
  const notes: { method: string; params: Session }[] = [];
  let nextId = 1;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line);
    if (message.id !== undefined && waiting.has(message.id)) {
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    } else if (message.method) notes.push(message);
  });
  return {
    child,
    notes,
    call(
      method: string,
      params: unknown,
    ): Promise<{ result?: unknown; error?: { code: number; message: string; data?: { field?: string } } }> {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
      });
    },
    sendRaw(line: string): void {
      child.stdin.write(line + '\n');
    },
    close(): Promise<number> {
      child.stdin.end();
      return new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    },
  };
}

/** The sessions whose records the registry writes: an ended one's only within a day of its end (then it expires). */
export function dueInRedis(sessions: Session[]): Session[] {
  return sessions.filter((session) => registryTtlSeconds(session, new Date(), 24) !== undefined);
}
