// One attempt at opening the SSH route to one of a cluster's login nodes: the jump hosts in turn,
// each next hop tunnelled through the previous one's `forwardOut` (ssh2 does ProxyJump only this
// way, docs/field-notes.md); then the login node that answers first (main/ssh/dial.ts), a name
// with several addresses counting as one login node per address; host keys checked at every hop,
// auth in OpenSSH order at every hop.
import { lookup } from 'node:dns/promises';
import { connect as connectTcp } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client, type ClientChannel } from 'ssh2';
import { PortholeError } from '../errors';
import type { PromptBroker } from '../prompts';
import { makeAuthHandler } from './auth';
import type { LoginNodeRoute, SshHop } from './config';
import { DialFailed, dialFirstAnswer, type DialCandidate } from './dial';
import { HostKeyRefused, type HostKeyStore } from './host-key-store';

/** How long a jump host gets to start the session that turns Nagle off before the route goes on without it. */
const SESSION_WAIT_MS = 2000;
/**
 * How long a login node has to greet before the next one is tried too: a live sshd greets within
 * a round trip and a fork (a few ms here, a few hundred over a VPN), so one that has not after a
 * second is taken as down; it may still win if it greets before the next one does.
 */
export const LOGIN_NODE_HEAD_START_MS = 1000;
/** How long an attempt waits for any login node to greet. */
const GREETING_TIMEOUT_MS = 15_000;

export interface OpenRoute {
  /** The login node's connection. */
  client: Client;
  /** Every connection of the route, jump hosts first; closing the first closes the rest. */
  clients: Client[];
  /** Which login node answered (its label, and its address when its name has several). */
  loginNode: string;
}

export interface ConnectOptions {
  cluster: string;
  /** The cluster's login nodes, in the order to try them. */
  loginNodes: LoginNodeRoute[];
  hostKeys: HostKeyStore;
  prompts: PromptBroker;
  home: string;
  readyTimeoutMs: number;
  /**
   * The login node this cluster was last on (an OpenRoute's `loginNode`). After a clean drop it is
   * tried first, with its head start, to come back to; after it fell silent it is tried last: the
   * keepalive already waited seconds for it.
   */
  previous?: { loginNode: string; fellSilent: boolean };
  signal?: AbortSignal;
  /** Every address of a login node's name (the system resolver's; tests give names several). */
  lookupAll?: (hostName: string) => Promise<{ address: string }[]>;
}

/** Why an attempt failed, and whether trying again later can help. */
export class ConnectFailed extends PortholeError {
  constructor(
    message: string,
    readonly retryable: boolean,
    cause?: unknown,
  ) {
    super(message, { cause });
  }
}

/** A login node to dial: its label, the hop to sign in to, and the jump hosts before it. */
interface LoginCandidate {
  label: string;
  hop: SshHop;
  jumps: SshHop[];
  /** Set when the name was looked up here: the address to connect to. */
  address?: string;
  lookupError?: Error;
}

export async function openRoute(options: ConnectOptions): Promise<OpenRoute> {
  const chains = new JumpChains(options);
  try {
    const candidates = inTurn(await loginCandidates(options.loginNodes, options.lookupAll ?? lookupAll), options.previous);
    // Read before dialing: once a login node has answered, its socket must go to the SSH client at once.
    const algorithms = await Promise.all(candidates.map((c) => options.hostKeys.algorithmsFor(c.hop)));
    let dialed;
    try {
      dialed = await dialFirstAnswer(
        candidates.map((c) => dialCandidate(c, chains)),
        {
          headStartMs: LOGIN_NODE_HEAD_START_MS,
          answerTimeoutMs: Math.min(options.readyTimeoutMs, GREETING_TIMEOUT_MS),
          signal: options.signal,
        },
      );
    } catch (error) {
      throw dialFailure(options, error as Error);
    }
    const index = candidates.findIndex((c) => c.label === dialed.label);
    const chosen = candidates[index];
    const client = await connectHop(options, chosen.hop, algorithms[index], dialed.socket, chosen.jumps.length > 0);
    return { client, clients: [...(await chains.keepOnly(chosen.jumps)), client], loginNode: dialed.label };
  } catch (error) {
    chains.closeAll();
    throw error;
  }
}

/**
 * One candidate per login node; a name that resolves to several addresses (and is reached
 * directly: behind a jump host, the jump host resolves it) gives one per address.
 */
async function loginCandidates(
  loginNodes: LoginNodeRoute[],
  addressesOf: NonNullable<ConnectOptions['lookupAll']>,
): Promise<LoginCandidate[]> {
  const several = loginNodes.length > 1;
  const perNode = await Promise.all(
    loginNodes.map(async ({ label, route }): Promise<LoginCandidate[]> => {
      const base = { label, hop: route.target, jumps: route.jumps };
      if (route.jumps.length) return [base];
      try {
        const addresses = await addressesOf(route.target.hostName);
        if (addresses.length === 1) return [{ ...base, address: addresses[0].address }];
        return addresses.map(({ address }) => ({ ...base, label: `${label} (${address})`, address }));
      } catch (error) {
        return [{ ...base, lookupError: error as Error }];
      }
    }),
  );
  // A single login node keeps its bare name in messages; with several, each says which it is.
  return several || perNode[0].length > 1 ? perNode.flat() : perNode[0];
}

function lookupAll(hostName: string): Promise<{ address: string }[]> {
  return lookup(hostName, { all: true });
}

function inTurn(candidates: LoginCandidate[], previous: ConnectOptions['previous']): LoginCandidate[] {
  const last = candidates.find((c) => c.label === previous?.loginNode);
  if (!last) return candidates;
  const others = candidates.filter((c) => c !== last);
  return previous!.fellSilent ? [...others, last] : [last, ...others];
}

function dialCandidate(candidate: LoginCandidate, chains: JumpChains): DialCandidate {
  const { hop } = candidate;
  const via = candidate.jumps.length ? ' through the jump host' : '';
  const cannotReach = (error: Error) =>
    new ConnectFailed(`Cannot reach ${hop.hostName}:${hop.port}${via}: ${error.message}`, !(error instanceof HostKeyRefused), error);
  return {
    label: candidate.label,
    open: async () => {
      if (candidate.lookupError) throw cannotReach(candidate.lookupError);
      if (candidate.jumps.length) {
        const jumpClients = await chains.open(candidate.jumps);
        const last = candidate.jumps[candidate.jumps.length - 1];
        return forwardTo(jumpClients[jumpClients.length - 1], last, hop);
      }
      return connectSocket(candidate.address!, hop.port).catch((error: Error) => {
        throw cannotReach(error);
      });
    },
  };
}

function connectSocket(address: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: address, port });
    // Sign-in is a string of small request/response turns, and so are viewer streams (the RFB
    // handshake, a key press and its echo): with Nagle's algorithm each turn would wait ~40 ms
    // for the ACK of the last. ssh2 never turns it off on a socket it is given.
    socket.setNoDelay(true);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** No login node answered: one error naming each, whose cause is the first one's own (for firstConnectionAdvice). */
function dialFailure(options: ConnectOptions, error: Error): ConnectFailed {
  if (!(error instanceof DialFailed)) return new ConnectFailed(error.message, false, error);
  const first = error.failures[0]?.error;
  const retryable = error.failures.every((f) => !(f.error instanceof ConnectFailed) || f.error.retryable);
  const message = error.failures.length > 1 ? `No login node of cluster '${options.cluster}' answered: ${error.message}` : error.message;
  return new ConnectFailed(message, retryable, first instanceof ConnectFailed ? first.cause : first);
}

/** The jump hosts of the login nodes, each distinct chain opened once per attempt, when first needed. */
class JumpChains {
  private readonly chains = new Map<string, Promise<Client[]>>();
  constructor(private readonly options: ConnectOptions) {}

  open(jumps: SshHop[]): Promise<Client[]> {
    const key = chainKey(jumps);
    let chain = this.chains.get(key);
    if (!chain) {
      chain = this.openChain(jumps);
      this.chains.set(key, chain);
    }
    return chain;
  }

  /** The chain the chosen login node goes through (none without jump hosts); every other one is closed. */
  async keepOnly(jumps: SshHop[]): Promise<Client[]> {
    const key = chainKey(jumps);
    for (const [other, chain] of this.chains) if (other !== key) void chain.then(endAll, () => undefined);
    return jumps.length ? await this.open(jumps) : [];
  }

  closeAll(): void {
    for (const chain of this.chains.values()) void chain.then(endAll, () => undefined);
  }

  private async openChain(jumps: SshHop[]): Promise<Client[]> {
    const clients: Client[] = [];
    try {
      let sock: ClientChannel | undefined;
      for (const [index, hop] of jumps.entries()) {
        const algorithms = await this.options.hostKeys.algorithmsFor(hop);
        const client = await connectHop(this.options, hop, algorithms, sock, index > 0);
        clients.push(client);
        await startSession(client);
        const next = jumps[index + 1];
        if (next) sock = await forwardTo(client, hop, next);
      }
      return clients;
    } catch (error) {
      endAll(clients);
      throw error;
    }
  }
}

function chainKey(jumps: SshHop[]): string {
  return jumps.map((j) => `${j.user}@${j.hostName}:${j.port}`).join(',');
}

function endAll(clients: Client[]): void {
  for (const client of [...clients].reverse()) client.end();
}

/**
 * sshd turns Nagle's algorithm off for a connection only when a session starts on it, and a
 * jump host's connection would carry only forwarded channels: every reply that came in two
 * writes then waited ~40 ms for a delayed ACK (through the test cluster's jump host: 45 ms per
 * exchange, 3 ms once a session had started). Running `true` is enough, and the setting stays
 * after it exits. A host that refuses sessions only keeps its delay; a nologin shell still counts.
 */
function startSession(client: Client): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, SESSION_WAIT_MS);
    client.exec('true', (error, channel) => {
      clearTimeout(timer);
      if (!error) channel.resume().stderr.resume();
      resolve();
    });
  });
}

function forwardTo(client: Client, via: SshHop, hop: SshHop): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, hop.hostName, hop.port, (error, channel) => {
      if (error)
        reject(
          new ConnectFailed(
            `Jump host ${via.alias} could not reach ${hop.hostName}:${hop.port}: ${error.message}`,
            true,
            jumpFailureCause(error, via, hop) ?? error,
          ),
        );
      else resolve(channel);
    });
  });
}

/** What a jump host's refusal to open a channel to the next hop was, in Node's words when they fit. */
export interface JumpFailureCause {
  code: 'ENOTFOUND' | 'ECONNREFUSED';
  hostname: string;
  address: string;
  port: number;
  /** The jump host that tried. */
  via: string;
}

/**
 * A jump host reports a failed hop only as text (OpenSSH's sshd passes on getaddrinfo's or
 * connect's message with reason 2, "connect failed"); for the two a first connection stops at,
 * read it into the Node error code a direct connection would have carried.
 */
export function jumpFailureCause(error: Error & { reason?: number }, via: SshHop, hop: SshHop): JumpFailureCause | undefined {
  if (error.reason !== 2) return undefined;
  const where = { hostname: hop.hostName, address: hop.hostName, port: hop.port, via: via.alias };
  if (/Name or service not known|No address associated|nodename nor servname|Temporary failure in name resolution/i.test(error.message))
    return { code: 'ENOTFOUND', ...where };
  if (/Connection refused/i.test(error.message)) return { code: 'ECONNREFUSED', ...where };
  return undefined;
}

/** Signs in to one hop, over `sock` when it is given (a login node's dialed socket, a jump's channel). */
function connectHop(
  options: ConnectOptions,
  hop: SshHop,
  algorithms: string[],
  sock: Duplex | undefined,
  tunnelled: boolean,
): Promise<Client> {
  const client = new Client();
  let refusal: unknown;
  const cancelled = { value: false };
  return new Promise<Client>((resolve, reject) => {
    const onAbort = () => client.end();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      client.removeListener('ready', onReady);
      client.removeListener('error', onError);
      client.removeListener('close', onClose);
      // Until SshConnection attaches its own handlers, an error must not go unheard (an
      // 'error' event without a listener would end the process).
      client.on('error', () => undefined);
      if (error) {
        client.end();
        reject(error);
      } else resolve(client);
    };
    const onReady = () => settle();
    const onClose = () => settle(new ConnectFailed(`${hop.hostName}:${hop.port} closed the connection during the handshake`, true));
    const onError = (error: Error & { level?: string; code?: string }) => {
      if (refusal) return settle(new ConnectFailed((refusal as Error).message, false, refusal));
      if (cancelled.value) return settle(new ConnectFailed(`Sign-in to ${hop.alias} was cancelled.`, false, error));
      if (error.level === 'client-authentication') {
        return settle(
          new ConnectFailed(
            `${hop.user}@${hop.hostName} refused every way of signing in Porthole tried ` +
              `(ssh-agent, keys, keyboard-interactive, password). ` +
              `Check the user name and your key (ssh -v ${hop.alias} shows what the server accepts).`,
            false,
            error,
          ),
        );
      }
      if (options.signal?.aborted) return settle(new ConnectFailed('The connection attempt was stopped.', false, error));
      settle(
        new ConnectFailed(
          `Cannot reach ${hop.hostName}:${hop.port}${tunnelled ? ' through the jump host' : ''}: ${error.message}`,
          true,
          error,
        ),
      );
    };
    client.once('ready', onReady);
    client.on('error', onError);
    client.once('close', onClose);
    client.connect({
      host: hop.hostName,
      port: hop.port,
      username: hop.user,
      sock,
      readyTimeout: options.readyTimeoutMs,
      keepaliveInterval: hop.serverAliveIntervalSeconds * 1000,
      keepaliveCountMax: hop.serverAliveCountMax,
      algorithms: { serverHostKey: algorithms as never },
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        options.hostKeys.check(options.cluster, hop, key, options.signal).then(
          () => verify(true),
          (error) => {
            refusal =
              error instanceof HostKeyRefused
                ? error
                : new HostKeyRefused(`Could not check the host key of ${hop.hostName}: ${(error as Error).message}`, { cause: error });
            verify(false);
          },
        );
      },
      authHandler: makeAuthHandler({
        cluster: options.cluster,
        hop,
        home: options.home,
        prompts: options.prompts,
        signal: options.signal,
        cancelled,
      }),
    });
    // ssh2 never turns Nagle's algorithm off (see connectSocket). For the first jump host ssh2 made
    // its socket in connect(); Node applies the setting once it connects. (Through a jump host the
    // hop is a channel, not a socket.)
    client.setNoDelay(true);
  });
}
