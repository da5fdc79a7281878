// The agent's JSON-RPC server on one exec channel of the cluster's connection: started
// (installing the agent first when needed) each time the connection comes up, restarted when
// it dies while the connection lives, and never answering from a dead process.
import { EventEmitter } from 'node:events';
import type { ClientChannel } from 'ssh2';
import type { AgentMethod, AgentMethods, AgentNotification, AgentNotifications, Hello } from '../../agent/protocol';
import { PortholeError } from '../errors';
import { AGENT_RESTART, backoffDelay } from '../../agent/common/backoff';
import { systemClock, type Clock } from '../../agent/common/clock';
import type { SshConnection } from '../ssh/connection';
import { assertNodeUsable, installAgent, type AgentBundle, type BootstrapTarget } from './bootstrap';
import type { NodeRuntimeCatalog } from './node-runtimes';
import { AGENT_MISSING_EXIT, agentDir, NODE_MISSING_EXIT, serveCommand } from './remote-commands';
import { installRuntime, type RuntimeInstallResult, type UploadProgress } from './node-runtime-install';
import { AgentRpcClient, type CallOptions } from './rpc-client';

export type AgentStatus = 'stopped' | 'starting' | 'ready' | 'restarting' | 'failed';

/** What one start may put on the login node, each at most once: Node.js, then the agent. */
type Provision = 'runtime' | 'agent';

/** A long step of a start that the UI shows as it goes (the runtime upload). */
export interface StartProgress extends UploadProgress {
  step: string;
}

export class AgentChannel extends EventEmitter<{
  status: [AgentStatus, string | undefined];
  ready: [Hello];
  installed: [];
  runtimeInstalled: [RuntimeInstallResult];
  progress: [StartProgress | null];
  notification: [AgentNotification, AgentNotifications[AgentNotification]];
}> {
  private rpc: AgentRpcClient | null = null;
  private channel: ClientChannel | null = null;
  private statusValue: AgentStatus = 'stopped';
  private generation = 0;
  private restarts = 0;
  private starting: Promise<Hello> | null = null;
  private readonly clock: Clock;

  constructor(
    private readonly connection: SshConnection,
    private readonly bundle: AgentBundle,
    /**
     * `runtimes`: the Node.js this build can upload where the login node has none (null: none).
     * `log`: where a line the agent sent and the protocol does not allow is reported (stderr by default).
     */
    private readonly options: { cluster: string; clock?: Clock; runtimes?: NodeRuntimeCatalog | null; log?: (line: string) => void },
  ) {
    super();
    this.clock = options.clock ?? systemClock;
  }

  get status(): AgentStatus {
    return this.statusValue;
  }

  /** Starts the agent on the current connection (idempotent while it runs). */
  start(): Promise<Hello> {
    if (this.starting) return this.starting;
    const generation = ++this.generation;
    this.setStatus(this.restarts > 0 ? 'restarting' : 'starting');
    this.starting = this.launch(generation, new Set<Provision>(['runtime', 'agent']))
      .catch((error: Error) => {
        // Whatever stopped it (no exec channel, a failed upload), the UI must not wait on 'starting'.
        if (generation === this.generation && this.statusValue !== 'failed') this.setStatus('failed', error.message);
        throw error;
      })
      .finally(() => {
        this.starting = null;
      });
    return this.starting;
  }

  /** Stops the agent (the connection is going away, or the person disconnected). */
  stop(reason = 'stopped'): void {
    this.generation += 1;
    this.restarts = 0;
    this.rpc?.fail(reason);
    this.rpc = null;
    this.channel?.close();
    this.channel = null;
    this.setStatus('stopped', reason);
  }

  call<M extends AgentMethod>(method: M, params: AgentMethods[M]['params'], options?: CallOptions): Promise<AgentMethods[M]['result']> {
    if (!this.rpc || this.statusValue !== 'ready') {
      return Promise.reject(
        new PortholeError(
          `The agent on cluster '${this.options.cluster}' is not running (${this.statusValue}); wait for the connection to come back`,
        ),
      );
    }
    return this.rpc.call(method, params, options);
  }

  private async launch(generation: number, mayProvide: ReadonlySet<Provision>): Promise<Hello> {
    const channel = await this.connection.exec(serveCommand(this.bundle.version, this.bundle.hash));
    const exit = new Promise<number | null>((resolve) => channel.on('close', (code: number | null) => resolve(code ?? null)));
    let stderr = '';
    channel.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000)));
    const log = this.options.log ?? ((line: string) => void process.stderr.write(`porthole: ${line}\n`));
    const rpc = new AgentRpcClient(channel, {
      clock: this.clock,
      onProtocolError: (problem) => log(`the agent on cluster '${this.options.cluster}' sent what the protocol does not allow; ${problem}`),
    });
    let hello: Hello;
    try {
      hello = await rpc.call('hello', {}, { timeoutMs: 20_000 });
    } catch (error) {
      const code = await Promise.race([exit, new Promise<'running'>((r) => this.clock.setTimeout(() => r('running'), 2000))]);
      channel.close();
      if (generation !== this.generation) throw new PortholeError('The agent start was superseded', { cause: error });
      const provision: Provision | null =
        code === NODE_MISSING_EXIT && this.options.runtimes ? 'runtime' : code === AGENT_MISSING_EXIT ? 'agent' : null;
      if (provision && mayProvide.has(provision)) {
        await (provision === 'runtime' ? this.provideRuntime(this.options.runtimes!) : this.provideAgent());
        return this.launch(generation, new Set([...mayProvide].filter((p) => p !== provision)));
      }
      const failure = await this.explainFailure(code, stderr, error);
      this.setStatus('failed', failure.message);
      throw failure;
    }
    if (generation !== this.generation) {
      channel.close();
      throw new PortholeError('The agent start was superseded');
    }
    this.rpc = rpc;
    this.channel = channel;
    this.restarts = 0;
    rpc.onNotification((method, params) => this.emit('notification', method, params));
    void exit.then((code) => this.onExit(generation, code, stderr));
    this.setStatus('ready');
    this.emit('ready', hello);
    return hello;
  }

  private bootstrapTarget(): BootstrapTarget {
    return { cluster: this.options.cluster, run: (c, t) => this.connection.run(c, t), sftp: () => this.connection.sftp() };
  }

  private async provideAgent(): Promise<void> {
    await installAgent(this.bootstrapTarget(), this.bundle);
    this.emit('installed');
  }

  private async provideRuntime(runtimes: NodeRuntimeCatalog): Promise<void> {
    const step = `uploading Node.js ${runtimes.nodeVersion} to the login node`;
    this.setStatus(this.statusValue, `${step}: it has no Node.js 18 or later`);
    try {
      const result = await installRuntime(this.bootstrapTarget(), runtimes, (progress) => {
        // Progress first: the status event that follows carries it to the UI.
        this.emit('progress', { step, ...progress });
        this.setStatus(this.statusValue, `${step}: ${megabytes(progress.doneBytes)} of ${megabytes(progress.totalBytes)} MB`);
      });
      this.emit('runtimeInstalled', result);
    } finally {
      this.emit('progress', null);
    }
  }

  private async explainFailure(code: number | null | 'running', stderr: string, error: unknown): Promise<PortholeError> {
    const cluster = this.options.cluster;
    if (typeof code === 'number') {
      // A node too old to parse the agent dies at once: say which node it is.
      // No answer about Node leaves the agent's own exit and output as the explanation below.
      const version = await this.connection
        .run(`/bin/sh -c 'PATH="$HOME/.porthole/runtime/bin:$PATH"; node -v 2>/dev/null || true'`, 10_000)
        .catch(() => null);
      if (version) {
        try {
          assertNodeUsable(cluster, version.stdout);
        } catch (nodeError) {
          return nodeError as PortholeError;
        }
      }
    }
    const detail = stderr.trim().split('\n').slice(-5).join('\n');
    const what = typeof code === 'number' ? `exited with code ${code} before answering 'hello'` : `gave no answer to 'hello'`;
    return new PortholeError(
      `The agent on cluster '${cluster}' (~/${agentDir(this.bundle.version)}/agent.cjs serve) ` +
        `${what}${detail ? `: ${detail}` : `: ${(error as Error).message}`}`,
      { cause: error },
    );
  }

  private onExit(generation: number, code: number | null, stderr: string): void {
    if (generation !== this.generation) return;
    const reason = `the agent stopped (exit ${code ?? 'by signal'})${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-1)[0]}` : ''}`;
    this.rpc?.fail(reason);
    this.rpc = null;
    this.channel = null;
    let connected = true;
    try {
      this.connection.client();
    } catch {
      connected = false;
    }
    if (!connected) {
      this.setStatus('stopped', reason);
      return;
    }
    // The connection is fine but the agent died: start it again, a little later each time.
    this.restarts += 1;
    this.setStatus('restarting', reason);
    this.clock.setTimeout(
      () => {
        // A failed start shows as status 'failed' with its reason (start's own catch); no caller waits on a restart.
        if (generation === this.generation) this.start().catch(() => undefined);
      },
      backoffDelay(this.restarts, AGENT_RESTART),
    );
  }

  private setStatus(status: AgentStatus, reason?: string): void {
    this.statusValue = status;
    this.emit('status', status, reason);
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}
