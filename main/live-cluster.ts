// Everything live about one cluster: its SSH connection, the agent on it, and the one state
// the UI sees. `connected` means the SSH link is up AND the agent answered hello, so the UI
// never shows sessions as live from a connection that cannot answer.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { Hello, RelayEndpoint, Session, TemplateList, TemplateSummary } from '../agent/protocol';
import type { ClusterConfig, ConnectionState, SessionView } from './api';
import { AgentChannel, type AgentStatus, type StartProgress } from './agent/agent-channel';
import type { AgentBundle } from './agent/bootstrap';
import type { NodeRuntimeCatalog } from './agent/node-runtimes';
import { relayCommand } from './agent/remote-commands';
import { PortholeError } from './errors';
import type { SshConnection } from './ssh/connection';

export class LiveCluster extends EventEmitter<{ state: [ConnectionState]; session: [SessionView] }> {
  readonly agent: AgentChannel;
  private templates = new Map<string, TemplateSummary>();
  private agentStatus: AgentStatus = 'stopped';
  private agentReason: string | undefined;
  private startProgress: StartProgress | null = null;
  hello: Hello | null = null;

  constructor(
    readonly config: ClusterConfig,
    readonly connection: SshConnection,
    private readonly bundle: AgentBundle,
    nodeRuntimes: NodeRuntimeCatalog | null = null,
    log?: (line: string) => void,
  ) {
    super();
    this.agent = new AgentChannel(connection, bundle, { cluster: config.name, runtimes: nodeRuntimes, log });
    connection.on('state', () => this.emit('state', this.state));
    connection.on('up', () => {
      // A failed start shows as the agent's status 'failed' with its reason, which the state event carries to the UI.
      this.agent.start().catch(() => undefined);
    });
    connection.on('down', (why) => this.agent.stop(why));
    this.agent.on('status', (status, reason) => {
      this.agentStatus = status;
      this.agentReason = reason;
      this.emit('state', this.state);
    });
    // Kept, not sent: the agent's status event that follows each report sends it.
    this.agent.on('progress', (progress) => (this.startProgress = progress));
    this.agent.on('ready', (hello) => {
      this.hello = hello;
      void this.refresh();
    });
    this.agent.on('notification', (method, params) => {
      if (method === 'session.changed') this.emit('session', this.view(params));
    });
  }

  /** The SSH state, held back to `connecting` until the agent answers. */
  get state(): ConnectionState {
    const ssh = this.connection.state;
    if (ssh.status !== 'connected') return ssh;
    if (this.agentStatus === 'ready') return ssh;
    if (this.agentStatus === 'failed') return { cluster: ssh.cluster, status: 'failed', reason: this.agentReason };
    const again = this.agentStatus === 'restarting' || this.hello !== null;
    const state: ConnectionState = {
      cluster: ssh.cluster,
      status: again ? 'reconnecting' : 'connecting',
      reason: this.agentReason ?? 'starting the agent on the login node',
    };
    return this.startProgress ? { ...state, progress: this.startProgress } : state;
  }

  async connect(): Promise<void> {
    await this.connection.connect();
    if (this.agent.status !== 'ready') await this.agent.start();
  }

  disconnect(): void {
    this.agent.stop('disconnected');
    this.connection.disconnect();
  }

  async templatesList(): Promise<TemplateList> {
    const list = await this.agent.call('templates.list', {});
    this.templates = new Map(list.templates.map((t) => [t.id, t]));
    return list;
  }

  view(session: Session): SessionView {
    const template = this.templates.get(session.templateId);
    return { ...session, cluster: this.config.name, templateName: template?.name ?? session.templateId, kind: template?.kind ?? 'vnc' };
  }

  /** Template names and kinds for session views; a failure leaves ids in their place. */
  async ensureTemplates(): Promise<void> {
    // Names are a nicety: the session list must not fail because the template list did.
    if (this.templates.size === 0) await this.templatesList().catch(() => undefined);
  }

  async sessions(): Promise<SessionView[]> {
    await this.ensureTemplates();
    return (await this.agent.call('sessions.list', {})).map((s) => this.view(s));
  }

  /**
   * The byte stream of one viewer: a channel to the endpoint the running agent keeps for the
   * session (no process to start), or, where the agent or sshd cannot give one, an exec
   * channel running `relay <id>`.
   */
  async openRelay(sessionId: string): Promise<Duplex> {
    if (!this.hello) throw new PortholeError(`Cluster '${this.config.name}' is not connected`);
    try {
      return await this.openEndpoint(await this.agent.call('sessions.relay', { id: sessionId }));
    } catch {
      return this.connection.exec(relayCommand(this.bundle.version, sessionId));
    }
  }

  /** A channel to an endpoint the agent gave (a session's relay, or a shared desktop's stream). */
  openEndpoint(endpoint: RelayEndpoint): Promise<Duplex> {
    return 'socket' in endpoint
      ? this.connection.forwardOutStreamLocal(endpoint.socket)
      : this.connection.forwardOut(endpoint.host, endpoint.port);
  }

  /** After (re)connecting: the current sessions go out as events, so no view stays stale. */
  private async refresh(): Promise<void> {
    try {
      for (const session of await this.sessions()) this.emit('session', session);
    } catch {
      // The state event already tells the UI that the agent is not ready.
    }
  }
}
