// A home of the test's own inside the test user's real (shared) home, with this checkout's built
// agent in it: the agent runs with HOME and PORTHOLE_SITE_FILE pointing there, so a test can give
// it a site.json and an agent.json, and tidy its sessions, without touching what other tests run
// at the same time keep in ~/.porthole. remove() takes the folder away.
import { spawnSync } from 'node:child_process';
import type { Session } from '../../../agent/protocol';
import { loadTestCluster, projectRoot, shellQuote, sshRun } from '../fixture';

export interface PrivateAgentHome {
  home: string;
  siteFile: string;
  /** Writes `<home>/.porthole/agent.json` (mode 0600) or the site file, as given (a string is written as it is). */
  writeUserConfig(config: unknown): Promise<void>;
  writeSiteConfig(config: unknown): Promise<void>;
  /** `env`: more of the agent's environment, which its jobs inherit (sbatch --export=ALL). */
  agent(args: string[], env?: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number }>;
  agentJson<T>(args: string[], env?: Record<string, string>): Promise<T>;
  /** Asks `sessions.show` every second until `done` holds; every session seen goes to `seen`. */
  waitForSession(id: string, done: (s: Session) => boolean, timeoutMs: number, seen?: Session[]): Promise<Session>;
  remove(): Promise<void>;
}

export async function makePrivateAgentHome(): Promise<PrivateAgentHome> {
  const made = await sshRun('mktemp -d "$HOME/porthole-agent-home.XXXXXX"');
  if (made.code !== 0) throw new Error(`mktemp on the cluster: ${made.stderr}`);
  const home = made.stdout.trim();
  const siteFile = `${home}/site.json`;
  const remove = async (): Promise<void> => void (await sshRun(`rm -rf ${shellQuote(home)}`));
  const cluster = loadTestCluster();
  const copy = spawnSync('scp', ['-q', '-F', cluster.sshConfigFile, `${projectRoot}/dist/agent.cjs`, `porthole-test:${home}/agent.cjs`], {
    encoding: 'utf8',
  });
  if (copy.status !== 0) {
    await remove();
    throw new Error(`scp of dist/agent.cjs failed (run node build/bundle.mjs first): ${copy.stderr}`);
  }
  const write = async (file: string, config: unknown): Promise<void> => {
    const text = typeof config === 'string' ? config : JSON.stringify(config, null, 2);
    const written = await sshRun(`mkdir -p "$(dirname ${shellQuote(file)})" && umask 077 && cat > ${shellQuote(file)}`, { input: text });
    if (written.code !== 0) throw new Error(`writing ${file}: ${written.stderr}`);
  };
  const agent = (args: string[], env: Record<string, string> = {}) => {
    const more = Object.entries(env).map(([name, value]) => `${name}=${shellQuote(value)} `);
    return sshRun(
      `${more.join('')}HOME=${shellQuote(home)} PORTHOLE_SITE_FILE=${shellQuote(siteFile)} node ${shellQuote(`${home}/agent.cjs`)} ${args.map(shellQuote).join(' ')}`,
      { timeoutMs: 60_000 },
    );
  };
  const agentJson = async <T>(args: string[], env?: Record<string, string>): Promise<T> => {
    const result = await agent([...args, '--json'], env);
    if (result.code !== 0) throw new Error(`agent ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };
  return {
    home,
    siteFile,
    writeUserConfig: (config) => write(`${home}/.porthole/agent.json`, config),
    writeSiteConfig: (config) => write(siteFile, config),
    agent,
    agentJson,
    async waitForSession(id, done, timeoutMs, seen = []) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const session = await agentJson<Session>(['sessions.show', id]);
        seen.push(session);
        if (done(session)) return session;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      throw new Error(`session ${id}: not as expected within ${timeoutMs} ms; last: ${JSON.stringify(seen.at(-1))}`);
    },
    remove,
  };
}
