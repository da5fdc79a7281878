// The one SSH connection of a cluster: opens the route, reports its state, notices a drop
// (keepalive), and reconnects with backoff until it is told to stop. Whoever needs the
// connection (agent channel, SFTP, tunnels) listens for 'up' and re-attaches there. A cluster
// that has never connected stops at a host that does not resolve or refuses: that is a typo or a
// missing VPN, which no number of retries fixes.
import { EventEmitter } from 'node:events';
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import type { ConnectionState } from '../api';
import { PortholeError } from '../errors';
import { backoffDelay, SSH_RECONNECT, type BackoffPolicy } from '../../agent/common/backoff';
import { systemClock, type Clock } from '../../agent/common/clock';
import { ConnectFailed, openRoute, type ConnectOptions, type OpenRoute } from './connect-route';

export interface SshConnectionOptions extends Omit<ConnectOptions, 'signal'> {
  clock?: Clock;
  backoff?: BackoffPolicy;
  /** Gives up after this many failed reconnects in a row (then state 'failed'). */
  maxAttempts?: number;
  /** The cluster connected at some time before (clusters.json says so): network failures are then retried. */
  connectedBefore?: boolean;
  /** For tests: how a route is opened. */
  open?: (options: ConnectOptions) => Promise<OpenRoute>;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export class SshConnection extends EventEmitter<{ state: [ConnectionState]; up: [Client]; down: [reason: string] }> {
  private current: OpenRoute | null = null;
  private sftpSession: Promise<SFTPWrapper> | null = null;
  private stateValue: ConnectionState;
  private wanted = false;
  private attempt = 0;
  private retryTimer: unknown = null;
  private abort: AbortController | null = null;
  private connecting: Promise<void> | null = null;
  private connectedBefore: boolean;
  private readonly clock: Clock;

  constructor(private readonly options: SshConnectionOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.connectedBefore = options.connectedBefore ?? false;
    this.stateValue = { cluster: options.cluster, status: 'offline' };
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** Resolves when connected; rejects with the reason when this attempt failed. */
  connect(): Promise<void> {
    this.wanted = true;
    if (this.current) return Promise.resolve();
    if (this.connecting) return this.connecting;
    this.attempt = 0;
    this.cancelRetry();
    return this.tryOnce();
  }

  disconnect(): void {
    this.wanted = false;
    this.cancelRetry();
    this.abort?.abort();
    const route = this.current;
    this.current = null;
    this.sftpSession = null;
    if (route) for (const client of [...route.clients].reverse()) client.end();
    this.setState({ cluster: this.options.cluster, status: 'offline' });
  }

  /** The live client, or an error a person can read when there is none. */
  client(): Client {
    if (!this.current) {
      throw new PortholeError(
        `Not connected to cluster '${this.options.cluster}' ` +
          `(${this.stateValue.status}${this.stateValue.reason ? `: ${this.stateValue.reason}` : ''})`,
      );
    }
    return this.current.client;
  }

  exec(command: string): Promise<ClientChannel> {
    const client = this.client();
    return new Promise((resolve, reject) => {
      client.exec(command, (error, channel) =>
        error
          ? reject(new PortholeError(`Could not start a command on cluster '${this.options.cluster}': ${error.message}`, { cause: error }))
          : resolve(channel),
      );
    });
  }

  /** A channel to host:port as the server's side sees it (direct-tcpip, as `ssh -L` uses). */
  forwardOut(host: string, port: number): Promise<ClientChannel> {
    const client = this.client();
    return new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, host, port, (error, channel) =>
        error
          ? reject(
              new PortholeError(`Cluster '${this.options.cluster}' could not reach ${host}:${port}: ${error.message}`, { cause: error }),
            )
          : resolve(channel),
      );
    });
  }

  /** A channel to a Unix socket on the server (OpenSSH's streamlocal forwarding). */
  forwardOutStreamLocal(socketPath: string): Promise<ClientChannel> {
    const client = this.client();
    return new Promise((resolve, reject) => {
      client.openssh_forwardOutStreamLocal(socketPath, (error, channel) =>
        error
          ? reject(
              new PortholeError(`Cluster '${this.options.cluster}' could not reach the socket ${socketPath}: ${error.message}`, {
                cause: error,
              }),
            )
          : resolve(channel),
      );
    });
  }

  /** Runs a short command to its end, with a timeout. */
  async run(command: string, timeoutMs = 30_000): Promise<RunResult> {
    const channel = await this.exec(command);
    return new Promise((resolve, reject) => {
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const timer = this.clock.setTimeout(() => {
        channel.close();
        reject(
          new PortholeError(`'${command.split(' ')[0]}' on cluster '${this.options.cluster}' gave no answer within ${timeoutMs / 1000} s`),
        );
      }, timeoutMs);
      channel.on('data', (d: Buffer) => out.push(d));
      channel.stderr.on('data', (d: Buffer) => err.push(d));
      channel.on('close', (code: number | null) => {
        this.clock.clearTimeout(timer);
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? null });
      });
    });
  }

  /** One SFTP session per connection, opened on first use. */
  sftp(): Promise<SFTPWrapper> {
    if (!this.sftpSession) {
      const client = this.client();
      const session = new Promise<SFTPWrapper>((resolve, reject) =>
        client.sftp((error, sftp) => {
          if (error) return reject(error);
          sftp.on('close', () => {
            if (this.sftpSession === session) this.sftpSession = null;
          });
          resolve(sftp);
        }),
      );
      this.sftpSession = session;
      this.sftpSession.catch(() => (this.sftpSession = null));
    }
    return this.sftpSession;
  }

  private tryOnce(): Promise<void> {
    const attempt = this.attempt;
    this.setState({
      cluster: this.options.cluster,
      status: attempt === 0 ? 'connecting' : 'reconnecting',
      attempt: attempt || undefined,
      reason: this.stateValue.reason,
    });
    const abort = new AbortController();
    this.abort = abort;
    const open = this.options.open ?? openRoute;
    this.connecting = open({ ...this.options, signal: abort.signal })
      .then((route) => {
        if (!this.wanted) {
          for (const client of route.clients) client.end();
          return;
        }
        this.attach(route);
      })
      .catch((error: unknown) => {
        // Questions this attempt asked (a host key, a code) are withdrawn with it.
        abort.abort(error);
        const advice = this.connectedBefore ? null : firstConnectionAdvice(this.options.cluster, error);
        if (advice) {
          this.setState({ cluster: this.options.cluster, status: this.wanted ? 'failed' : 'offline', reason: advice });
          throw new ConnectFailed(advice, false, error);
        }
        const reason = error instanceof Error ? error.message : String(error);
        const retryable = error instanceof ConnectFailed ? error.retryable : true;
        if (this.wanted && retryable && attempt > 0) this.scheduleRetry(reason);
        else if (this.wanted && retryable && attempt === 0) {
          this.scheduleRetry(reason);
          throw error;
        } else {
          this.setState({ cluster: this.options.cluster, status: this.wanted ? 'failed' : 'offline', reason });
          throw error;
        }
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  private attach(route: OpenRoute): void {
    this.current = route;
    this.attempt = 0;
    this.connectedBefore = true;
    this.setState({ cluster: this.options.cluster, status: 'connected' });
    let dropped = false;
    const onDrop = (why: string) => {
      if (dropped || this.current !== route) return;
      dropped = true;
      this.current = null;
      this.sftpSession = null;
      for (const client of route.clients) client.end();
      // The state says 'reconnecting' before listeners hear 'down', so none of them sees a
      // connection that is 'connected' and gone at once.
      if (this.wanted) this.scheduleRetry(why);
      this.emit('down', why);
    };
    // Any hop closing ends the route: a jump host going away takes the login node's link with it.
    for (const client of route.clients) {
      client.on('error', (error: Error) => onDrop(`the connection failed: ${error.message}`));
      client.on('close', () => onDrop('the connection was closed'));
    }
    this.emit('up', route.client);
  }

  private scheduleRetry(reason: string): void {
    this.attempt += 1;
    if (this.options.maxAttempts !== undefined && this.attempt > this.options.maxAttempts) {
      this.setState({
        cluster: this.options.cluster,
        status: 'failed',
        reason: `${reason} (gave up after ${this.options.maxAttempts} attempts)`,
      });
      return;
    }
    const delay = backoffDelay(this.attempt, this.options.backoff ?? SSH_RECONNECT);
    this.setState({
      cluster: this.options.cluster,
      status: 'reconnecting',
      attempt: this.attempt,
      reason,
      nextAttemptAt: this.clock.now() + delay,
    });
    this.cancelRetry();
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      // A failed retry has already scheduled the next or set 'failed' with its reason; no caller waits on it.
      if (this.wanted && !this.current) this.tryOnce().catch(() => undefined);
    }, delay);
  }

  private cancelRetry(): void {
    if (this.retryTimer) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setState(state: ConnectionState): void {
    const clean = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)) as unknown as ConnectionState;
    this.stateValue = clean;
    this.emit('state', clean);
  }
}

/**
 * What to check when a cluster's first connection meets a name that does not resolve or a port
 * that refuses (the Node error ssh2 passes on is the cause); null for every other failure.
 */
export function firstConnectionAdvice(cluster: string, error: unknown): string | null {
  const cause = (error instanceof ConnectFailed ? error.cause : error) as
    { code?: string; hostname?: string; address?: string; port?: number; via?: string } | undefined;
  // Through a jump host the name is resolved, and the port tried, by the jump host.
  const seenBy = cause?.via ? ` from the jump host ${cause.via}` : '';
  if (cause?.code === 'ENOTFOUND') {
    return (
      `Cluster '${cluster}': the host name '${cause.hostname ?? '?'}' does not resolve${seenBy} (ENOTFOUND). ` +
      `Check the cluster's Host for a typo; if the cluster is known only inside the site's network, connect the site's VPN. ` +
      `Then choose Connect again.`
    );
  }
  if (cause?.code === 'ECONNREFUSED') {
    return (
      `Cluster '${cluster}': ${cause.address ?? '?'}:${cause.port ?? '?'} refused the connection${seenBy}, ` +
      `so no SSH server listens there (ECONNREFUSED). Check the cluster's Host and Port; ` +
      `some sites accept SSH only through their VPN. Then choose Connect again.`
    );
  }
  return null;
}
