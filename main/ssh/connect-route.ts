// One attempt at opening the SSH route to a login node: each jump host in turn, the next hop
// tunnelled through the previous one's `forwardOut` (ssh2 does ProxyJump only this way,
// docs/field-notes.md), host keys checked at every hop, auth in OpenSSH order at every hop.
import { Client, type ClientChannel } from 'ssh2';
import { PortholeError } from '../errors';
import type { PromptBroker } from '../prompts';
import { makeAuthHandler } from './auth';
import type { SshHop, SshRoute } from './config';
import { HostKeyRefused, type HostKeyStore } from './host-key-store';

/** How long a jump host gets to start the session that turns Nagle off before the route goes on without it. */
const SESSION_WAIT_MS = 2000;

export interface OpenRoute {
  /** The login node's connection. */
  client: Client;
  /** Every connection of the route, jump hosts first; closing the first closes the rest. */
  clients: Client[];
}

export interface ConnectOptions {
  cluster: string;
  route: SshRoute;
  hostKeys: HostKeyStore;
  prompts: PromptBroker;
  home: string;
  readyTimeoutMs: number;
  signal?: AbortSignal;
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

export async function openRoute(options: ConnectOptions): Promise<OpenRoute> {
  const clients: Client[] = [];
  try {
    let sock: ClientChannel | undefined;
    const hops = [...options.route.jumps, options.route.target];
    for (const [index, hop] of hops.entries()) {
      const client = await connectHop(options, hop, sock);
      clients.push(client);
      const next = hops[index + 1];
      if (next) {
        await startSession(client);
        sock = await forwardTo(client, hop, next);
      }
    }
    return { client: clients[clients.length - 1], clients };
  } catch (error) {
    for (const client of clients.reverse()) client.end();
    throw error;
  }
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

async function connectHop(options: ConnectOptions, hop: SshHop, sock: ClientChannel | undefined): Promise<Client> {
  const client = new Client();
  let refusal: unknown;
  const cancelled = { value: false };
  const algorithms = await options.hostKeys.algorithmsFor(hop);
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
        new ConnectFailed(`Cannot reach ${hop.hostName}:${hop.port}${sock ? ' through the jump host' : ''}: ${error.message}`, true, error),
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
    // ssh2 never turns Nagle's algorithm off. Sign-in is a string of small request/response
    // turns, and so are viewer streams (the RFB handshake, a key press and its echo): each turn
    // would wait ~40 ms for the ACK of the last. ssh2 made its socket in connect(); Node applies
    // the setting once it connects. (Through a jump host the hop is a channel, not a socket.)
    client.setNoDelay(true);
  });
}
