// What the main/ cluster tests share beside the fixture (../fixture.ts): a Porthole with its own
// config folder and home, an SshConnection with its own home, and a prompt answerer playing the
// person. Private sshd instances (jump hosts) are private-sshd.ts's.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiEvent, ClusterConfig, Prompt, PromptAnswer } from '../../../main/api';
import type { AgentBundle } from '../../../main/agent/bootstrap';
import type { NodeRuntimeCatalog } from '../../../main/agent/node-runtimes';
import { configPaths } from '../../../main/config/paths';
import { freePort, projectRoot, tempDir } from '../fixture';
import { PortholeApp } from '../../../main/porthole-app';
import { PromptBroker } from '../../../main/prompts';
import { resolveLoginNodes } from '../../../main/ssh/config';
import { SshConnection, type SshConnectionOptions } from '../../../main/ssh/connection';
import { HostKeyStore } from '../../../main/ssh/host-key-store';

export { freePort, projectRoot, tempDir };

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
export async function sshConnection(
  config: ClusterConfig,
  person: Person,
  options: { home?: string; sshConfigText?: string; maxAttempts?: number; lookupAll?: SshConnectionOptions['lookupAll'] } = {},
) {
  const home = options.home ?? tempDir('home');
  const prompts: PromptBroker = new PromptBroker(person.listener((id, a) => prompts.answer(id, a)));
  const sshConfigText = options.sshConfigText ?? (config.sshConfigFile ? await readFile(config.sshConfigFile, 'utf8') : '');
  const loginNodes = resolveLoginNodes(config, { sshConfigText, home, localUser: 'nobody', env: {} });
  const hostKeys = new HostKeyStore({
    home,
    portholeKnownHostsFile: join(home, 'porthole_known_hosts'),
    prompts,
    globalKnownHostsFiles: [],
  });
  const connection = new SshConnection({
    cluster: config.name,
    loginNodes,
    hostKeys,
    prompts,
    home,
    readyTimeoutMs: 20_000,
    maxAttempts: options.maxAttempts,
    backoff: { initialMs: 200, maxMs: 2000, factor: 2, jitter: 0.5 },
    lookupAll: options.lookupAll,
  });
  return { connection, home, prompts };
}

/** A Porthole with its own config folder and home, as the Api sees it. */
export async function portholeApp(bundle: AgentBundle, runtimes: NodeRuntimeCatalog | null = null) {
  const root = tempDir('app');
  const home = join(root, 'home');
  const app = new PortholeApp({
    paths: configPaths(join(root, 'config')),
    home,
    localUser: 'nobody',
    env: {},
    bundle,
    nodeRuntimes: runtimes,
    globalKnownHostsFiles: [],
  });
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
  if (!contents.includes('sessions.connection'))
    throw new Error(`${file} is not the real agent (it serves no sessions.connection): run node build/bundle.mjs`);
  return { version, contents, hash: createHash('sha256').update(contents).digest('hex') };
}
