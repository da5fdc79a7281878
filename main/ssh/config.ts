// Turns a cluster (whose host may be an alias of ~/.ssh/config) into the concrete hops to
// connect through, as `ssh` would: values given in Porthole win, like ssh's command-line
// options, then the first value found in ssh_config, then OpenSSH's defaults.
// Parsing is the `ssh-config` package's; it does not follow `Include` (docs/field-notes.md).
import SSHConfig from 'ssh-config';
import { join } from 'node:path';
import type { ClusterConfig } from '../api';
import { PortholeError } from '../errors';

export interface SshHop {
  /** The name the person wrote (alias or address), for messages and known_hosts. */
  alias: string;
  hostName: string;
  port: number;
  user: string;
  /** Candidate private keys in order; empty means OpenSSH's default files. */
  identityFiles: string[];
  /** True when the files came from IdentityFile (then only those are tried). */
  identityFilesExplicit: boolean;
  /** ssh-agent socket; null when IdentityAgent is `none`. */
  identityAgent: string | null;
  /** IdentitiesOnly: of the agent's keys, only those of the identity files are offered. */
  identitiesOnly: boolean;
  /** Which sign-in methods ssh_config allows (PubkeyAuthentication, KbdInteractiveAuthentication, PasswordAuthentication). */
  allowed: { publickey: boolean; keyboardInteractive: boolean; password: boolean };
  /** Extra known_hosts files named by UserKnownHostsFile. */
  knownHostsFiles: string[];
  serverAliveIntervalSeconds: number;
  serverAliveCountMax: number;
}

export interface SshRoute {
  /** Jump hosts in connection order, then the login node last. */
  jumps: SshHop[];
  target: SshHop;
}

export interface Keepalive {
  intervalSeconds: number;
  countMax: number;
}

/** One of a cluster's login nodes: the name the person listed, and how to reach it. */
export interface LoginNodeRoute {
  label: string;
  route: SshRoute;
}

export interface ResolveContext {
  /** Text of the ssh_config to use ('' when there is none). */
  sshConfigText: string;
  home: string;
  localUser: string;
  env: NodeJS.ProcessEnv;
}

/** OpenSSH's default identity files, in the order it tries them. */
export const DEFAULT_IDENTITY_FILES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_dsa'];
/** Porthole keeps connections alive even where ssh_config does not ask for it (a dropped laptop link must be noticed). */
const DEFAULT_KEEPALIVE: Keepalive = { intervalSeconds: 15, countMax: 3 };
/**
 * With another login node to move to, a dead one is worth noticing in seconds: a login node that
 * stops answering is given up after 2–3 s (ssh2 counts unanswered keepalives, not idle time), unless
 * ssh_config sets ServerAliveInterval. One stall of the network that long costs a viewer reconnect.
 */
export const FAILOVER_KEEPALIVE: Keepalive = { intervalSeconds: 1, countMax: 2 };
const MAX_JUMPS = 8;

/**
 * Every login node of the cluster, in the order they are tried, each resolved as its own host
 * (its ssh_config alias, its `:port`); a port given for the cluster wins over ssh_config's, as
 * `ssh -p` does, and one written in the entry wins over both.
 */
export function resolveLoginNodes(cluster: ClusterConfig, context: ResolveContext): LoginNodeRoute[] {
  if (!cluster.hosts) return [{ label: cluster.host, route: resolveRoute(cluster, context) }];
  return cluster.hosts.map((entry) => {
    const { host, port } = parseLoginHost(entry);
    return { label: entry, route: resolveRoute({ ...cluster, host, port: port ?? cluster.port }, context, FAILOVER_KEEPALIVE) };
  });
}

/** `host`, `host:port`, `[v6]:port`, or a bare IPv6 address (more than one colon: no port). */
export function parseLoginHost(entry: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const plain = /^([^:[\]]+):(\d+)$/.exec(entry);
  const [, host, portText] = bracketed ?? plain ?? [entry, entry, undefined];
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (port < 1 || port > 65535))
    throw new PortholeError(`hosts: the port of '${entry}' is not between 1 and 65535`, { field: 'hosts' });
  return { host, port };
}

export function resolveRoute(cluster: ClusterConfig, context: ResolveContext, keepalive: Keepalive = DEFAULT_KEEPALIVE): SshRoute {
  let parsed: SSHConfig;
  try {
    parsed = SSHConfig.parse(context.sshConfigText);
  } catch (error) {
    throw new PortholeError(`Cannot read the ssh_config for cluster '${cluster.name}': ${(error as Error).message}`, {
      cause: error,
      field: 'sshConfigFile',
    });
  }
  const target = resolveHop(
    parsed,
    cluster.host,
    context,
    { user: cluster.user, port: cluster.port, identityFile: cluster.identityFile },
    keepalive,
  );
  const jumpSpec = cluster.proxyJump ?? lookup(parsed, cluster.host).proxyjump;
  const jumps = resolveJumps(parsed, typeof jumpSpec === 'string' ? jumpSpec : undefined, context, 0);
  return { jumps, target };
}

function resolveJumps(parsed: SSHConfig, spec: string | undefined, context: ResolveContext, depth: number): SshHop[] {
  if (!spec || spec.toLowerCase() === 'none') return [];
  if (depth > MAX_JUMPS)
    throw new PortholeError(`ProxyJump goes more than ${MAX_JUMPS} hops deep; is there a loop in ssh_config?`, { field: 'proxyJump' });
  const hops = spec.split(',').map((part) => parseJump(part.trim()));
  // Like OpenSSH, the first jump host may itself have a ProxyJump in ssh_config.
  const firstJumpOwn = lookup(parsed, hops[0].host).proxyjump;
  const before = resolveJumps(parsed, typeof firstJumpOwn === 'string' ? firstJumpOwn : undefined, context, depth + 1);
  return [...before, ...hops.map((hop) => resolveHop(parsed, hop.host, context, { user: hop.user, port: hop.port }))];
}

/** `[user@]host[:port]` with `[v6]:port` allowed. */
export function parseJump(spec: string): { user?: string; host: string; port?: number } {
  const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec);
  if (!match) throw new PortholeError(`'${spec}' is not a jump host; write [user@]host[:port]`, { field: 'proxyJump' });
  const port = match[3] ? Number(match[3]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535))
    throw new PortholeError(`Port ${port} in '${spec}' is not between 1 and 65535`, { field: 'proxyJump' });
  return { user: match[1], host: match[2].replace(/^\[|\]$/g, ''), port };
}

function lookup(parsed: SSHConfig, host: string): Record<string, string | string[]> {
  // Match exec would run a command from the file: never while resolving.
  return parsed.compute(host, { ignoreCase: true, matchExec: false });
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function resolveHop(
  parsed: SSHConfig,
  alias: string,
  context: ResolveContext,
  given: { user?: string; port?: number; identityFile?: string },
  keepalive: Keepalive = DEFAULT_KEEPALIVE,
): SshHop {
  const options = lookup(parsed, alias);
  const hostName = expandTokens(first(options.hostname) ?? alias, { h: alias }, context);
  const user = given.user ?? first(options.user) ?? context.localUser;
  const portText = first(options.port);
  const port = given.port ?? (portText ? Number(portText) : 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PortholeError(`ssh_config gives port '${portText}' for host '${alias}', which is not between 1 and 65535`, {
      field: 'sshConfigFile',
    });
  }
  const tokens = { h: hostName, p: String(port), r: user, n: alias };
  const configured = ([] as string[]).concat(options.identityfile ?? []);
  const identityFiles = given.identityFile ? [given.identityFile, ...configured] : configured;
  const agentOption = first(options.identityagent);
  let identityAgent: string | null = context.env.SSH_AUTH_SOCK ?? null;
  if (agentOption && agentOption.toLowerCase() === 'none') identityAgent = null;
  else if (agentOption && agentOption !== 'SSH_AUTH_SOCK') {
    identityAgent = agentOption.startsWith('$') ? (context.env[agentOption.slice(1)] ?? null) : expandTokens(agentOption, tokens, context);
  }
  const knownHostsFiles = ([] as string[])
    .concat(options.userknownhostsfile ?? [])
    .flatMap((f) => f.split(/\s+/))
    .filter((f) => f && f.toLowerCase() !== 'none')
    .map((f) => expandTokens(f, tokens, context));
  const flag = (name: string, fallback: boolean) => yesNo(first(options[name.toLowerCase()]), name, alias, fallback);
  const aliveText = first(options.serveraliveinterval);
  const countText = first(options.serveralivecountmax);
  return {
    alias,
    hostName,
    port,
    user,
    identityFiles: identityFiles.map((f) => expandTokens(f, tokens, context)),
    identityFilesExplicit: identityFiles.length > 0,
    identityAgent,
    identitiesOnly: flag('IdentitiesOnly', false),
    allowed: {
      publickey: flag('PubkeyAuthentication', true),
      // ChallengeResponseAuthentication is the older name OpenSSH still reads.
      keyboardInteractive: flag('KbdInteractiveAuthentication', flag('ChallengeResponseAuthentication', true)),
      password: flag('PasswordAuthentication', true),
    },
    knownHostsFiles,
    serverAliveIntervalSeconds: aliveText && Number(aliveText) > 0 ? Number(aliveText) : keepalive.intervalSeconds,
    serverAliveCountMax: countText && Number(countText) > 0 ? Number(countText) : keepalive.countMax,
  };
}

/** A yes/no option of ssh_config; anything else is refused rather than guessed. */
function yesNo(value: string | undefined, name: string, alias: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const word = value.toLowerCase();
  // PubkeyAuthentication's `unbound` and `host-bound` are kinds of yes.
  if (['yes', 'true', 'unbound', 'host-bound'].includes(word)) return true;
  if (word === 'no' || word === 'false') return false;
  throw new PortholeError(`ssh_config gives ${name} '${value}' for host '${alias}'; write yes or no`, { field: 'sshConfigFile' });
}

/** `~` and the % tokens of ssh_config(5) that make sense here. */
export function expandTokens(value: string, tokens: Record<string, string>, context: ResolveContext): string {
  const withHome = value === '~' ? context.home : value.startsWith('~/') ? join(context.home, value.slice(2)) : value;
  return withHome.replace(/%([%dhpruln])/g, (_match, key: string) => {
    if (key === '%') return '%';
    if (key === 'd') return context.home;
    if (key === 'u') return context.localUser;
    return tokens[key] ?? `%${key}`;
  });
}

export function defaultIdentityFiles(home: string): string[] {
  return DEFAULT_IDENTITY_FILES.map((name) => join(home, '.ssh', name));
}
