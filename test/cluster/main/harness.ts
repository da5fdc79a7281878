// What the main/ cluster tests share beside the fixture (../fixture.ts): a Porthole with its own
// config folder and home, private sshd instances on loopback (jump hosts), and a prompt answerer
// playing the person.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import type { ApiEvent, ClusterConfig, Prompt, PromptAnswer } from '../../../main/api';
import type { AgentBundle } from '../../../main/agent/bootstrap';
import type { RuntimeCatalog } from '../../../main/agent/node-runtimes';
import { configPaths } from '../../../main/config/paths';
import { loadTestCluster, projectRoot, tempDir, type TestCluster } from '../fixture';
import { PortholeApp } from '../../../main/porthole-app';
import { PromptBroker } from '../../../main/prompts';
import { resolveRoute } from '../../../main/ssh/config';
import { SshConnection } from '../../../main/ssh/connection';
import { HostKeyStore } from '../../../main/ssh/host-key-store';

export { projectRoot, tempDir };

export type TestClusterState = TestCluster;

// Until ssh-connection.test.ts (helper H4's) reads the fixture itself: a missing cluster now
// throws (loadTestCluster says what to run), so the reason below is never used for a skip.
export const loadClusterState = (): TestClusterState => loadTestCluster();
export const NO_CLUSTER = 'the test cluster is not up (run bash test/cluster/up)';

/** Answers prompts as a person would, recording what was asked. */
export class Person {
  readonly asked: Prompt[] = [];
  constructor(private readonly decide: (prompt: Prompt) => PromptAnswer | null) {}
  listener(answer: (id: string, a: PromptAnswer) => void) {
    return (event: ApiEvent) => {
      if (event.type !== 'prompt') return;
      this.asked.push(event.prompt);
      const decision = this.decide(event.prompt);
      if (decision) setImmediate(() => answer(event.prompt.id, decision));
    };
  }
}

export function trustEveryHostKey(prompt: Prompt): PromptAnswer | null {
  return prompt.type === 'hostKey' ? { type: 'hostKey', trust: true } : null;
}

/** An SshConnection to a cluster config, with its own home and Porthole known_hosts. */
export async function sshConnection(config: ClusterConfig, person: Person, options: { home?: string; sshConfigText?: string; maxAttempts?: number } = {}) {
  const home = options.home ?? tempDir('home');
  const prompts: PromptBroker = new PromptBroker(person.listener((id, a) => prompts.answer(id, a)));
  const sshConfigText = options.sshConfigText ?? (config.sshConfigFile ? await readFile(config.sshConfigFile, 'utf8') : '');
  const route = resolveRoute(config, { sshConfigText, home, localUser: 'nobody', env: {} });
  const hostKeys = new HostKeyStore({ home, portholeKnownHostsFile: join(home, 'porthole_known_hosts'), prompts, globalKnownHostsFiles: [] });
  const connection = new SshConnection({ cluster: config.name, route, hostKeys, prompts, home, readyTimeoutMs: 20_000, maxAttempts: options.maxAttempts, backoff: { initialMs: 200, maxMs: 2000, factor: 2, jitter: 0.5 } });
  return { connection, home, prompts };
}

/** A Porthole with its own config folder and home, as the Api sees it. */
export async function portholeApp(bundle: AgentBundle, runtimes: RuntimeCatalog | null = null) {
  const root = tempDir('app');
  const home = join(root, 'home');
  const app = new PortholeApp({ paths: configPaths(join(root, 'config')), home, localUser: 'nobody', env: {}, bundle, runtimes, globalKnownHostsFiles: [] });
  await app.start();
  return { app, backend: app.backend(), home };
}

export async function standInBundle(version = '0.0.1-test', variant = 'stand-in-1'): Promise<AgentBundle> {
  const source = await readFile(join(projectRoot, 'test/cluster/main/stand-in-agent.cjs'), 'utf8');
  const contents = Buffer.from(source.replace("'stand-in-1'", JSON.stringify(variant)));
  return { version, contents, hash: createHash('sha256').update(contents).digest('hex') };
}

/** The real agent (dist/agent.cjs from `npm run build`); throws, saying what to run, when it is not built. */
export async function realBundle(version: string): Promise<AgentBundle> {
  const file = join(projectRoot, 'dist/agent.cjs');
  if (!existsSync(file)) throw new Error(`${file} is not built: run node build/bundle.mjs (npm run build)`);
  const contents = await readFile(file);
  if (!contents.includes('sessions.connection')) throw new Error(`${file} is not the real agent (it serves no sessions.connection): run node build/bundle.mjs`);
  return { version, contents, hash: createHash('sha256').update(contents).digest('hex') };
}

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

/** A private sshd on 127.0.0.1 (a jump host), letting the test user in with the cluster's key. */
/** A private sshd on loopback that lets the test user in with the fixture's key; `extraConfig` lines go last. */
export async function startSshd(state: TestClusterState, extraConfig: string[] = []): Promise<{ port: number; pid: number; hostKeyFile: string; stop(): void }> {
  const dir = tempDir('sshd');
  // sshd reads authorized_keys as the user it lets in: the folder must be open to them.
  await chmod(dir, 0o755);
  const port = await freePort();
  const hostKeyFile = join(dir, 'host_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKeyFile]);
  const publicKey = existsSync(`${state.ssh.identityFile}.pub`)
    ? readFileSync(`${state.ssh.identityFile}.pub`, 'utf8')
    : execFileSync('ssh-keygen', ['-y', '-f', state.ssh.identityFile], { encoding: 'utf8' });
  await writeFile(join(dir, 'authorized_keys'), publicKey, { mode: 0o644 });
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKeyFile}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    // The key file lives in a temporary folder that StrictModes would refuse; this sshd is a test's own.
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'AllowTcpForwarding yes',
    ...extraConfig,
  ].join('\n');
  await writeFile(join(dir, 'sshd_config'), config + '\n');
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 5000;
    const check = () => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        if (Date.now() > deadline) reject(new Error(`sshd on ${port} did not start: ${log}`));
        else setTimeout(check, 50);
      });
      socket.connect(port, '127.0.0.1');
    };
    check();
  });
  return { port, pid: child.pid!, hostKeyFile, stop: () => child.kill('SIGTERM') };
}
