// The workstation side as one object: the cluster store, the prompts, one LiveCluster per
// connected cluster, the viewer bridge and the event stream. Everything it depends on (paths,
// home, environment, agent bundle, how the demo cluster is made) is passed in.
import { join } from 'node:path';
import type { ApiEvent, ClusterConfig, ConnectionState } from './api';
import type { ApiBackend } from './api-handlers';
import { createApiHandlers } from './api-handlers';
import type { AgentBundle } from './agent/bootstrap';
import type { NodeRuntimeCatalog } from './agent/node-runtimes';
import { LiveCluster } from './live-cluster';
import { ClusterStore } from './config/cluster-store';
import { DEMO_CLUSTER } from './demo-cluster';
import type { ConfigPaths } from './config/paths';
import { PortholeError } from './errors';
import { PromptBroker } from './prompts';
import { resolveLoginNodes } from './ssh/config';
import { readSshConfigWithIncludes } from './ssh/config-include';
import { SshConnection } from './ssh/connection';
import { HostKeyStore } from './ssh/host-key-store';
import { ViewerBridge } from './viewer-bridge/bridge';
import { SessionFileTransfers } from './files/session-file-transfers';
import { UploadEndpoint } from './files/upload-socket';

export interface PortholeAppOptions {
  paths: ConfigPaths;
  home: string;
  localUser: string;
  env: NodeJS.ProcessEnv;
  bundle: AgentBundle;
  /** Node.js for login nodes without it (null or absent: this build carries none). */
  nodeRuntimes?: NodeRuntimeCatalog | null;
  /** Brings up the local test cluster, telling each line of its progress, and returns the cluster to add as `demo`. */
  demoCluster?: (onLine: (line: string) => void) => Promise<ClusterConfig>;
  log?: (line: string) => void;
  /** Where downloads go; defaults to PORTHOLE_DOWNLOADS, else ~/Downloads (Electron passes the OS's). */
  downloadsFolder?: string;
  /** Defaults to /etc/ssh/ssh_known_hosts; tests pass [] to stay apart from the machine. */
  globalKnownHostsFiles?: string[];
}

export class PortholeApp {
  readonly store: ClusterStore;
  readonly prompts: PromptBroker;
  readonly hostKeys: HostKeyStore;
  readonly bridge: ViewerBridge;
  readonly files: SessionFileTransfers;
  private readonly liveClusters = new Map<string, LiveCluster>();
  private readonly listeners = new Set<(event: ApiEvent) => void>();

  constructor(readonly options: PortholeAppOptions) {
    this.store = new ClusterStore(options.paths.clustersFile);
    this.prompts = new PromptBroker((event) => this.emit(event));
    this.hostKeys = new HostKeyStore({
      home: options.home,
      portholeKnownHostsFile: options.paths.knownHostsFile,
      prompts: this.prompts,
      globalKnownHostsFiles: options.globalKnownHostsFiles,
    });
    this.files = new SessionFileTransfers({
      connected: (name) => this.connected(name),
      downloadsFolder: () => options.downloadsFolder ?? options.env.PORTHOLE_DOWNLOADS ?? join(options.home, 'Downloads'),
      emit: (event) => this.emit(event),
    });
    this.bridge = new ViewerBridge((target) => this.connected(target.cluster).then((live) => live.openRelay(target.sessionId)), {
      log: options.log,
      uploads: new UploadEndpoint(this.files, options.log),
    });
  }

  async start(): Promise<void> {
    await this.bridge.listen();
  }

  async stop(): Promise<void> {
    for (const name of [...this.liveClusters.keys()]) this.dropCluster(name);
    await this.bridge.close();
  }

  backend(): ApiBackend {
    return {
      handlers: createApiHandlers(this),
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      snapshot: () => [
        ...[...this.liveClusters.values()].map((r): ApiEvent => ({ type: 'connection', state: r.state })),
        ...this.prompts.open().map((prompt): ApiEvent => ({ type: 'prompt', prompt })),
      ],
    };
  }

  emit(event: ApiEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  connectionState(name: string): ConnectionState {
    return this.liveClusters.get(name)?.state ?? { cluster: name, status: 'offline' };
  }

  /** The live side of a cluster, made (not connected) on first use. */
  async cluster(name: string): Promise<LiveCluster> {
    const existing = this.liveClusters.get(name);
    if (existing) return existing;
    const config = await this.store.get(name);
    const sshConfigFile = config.sshConfigFile ?? join(this.options.home, '.ssh', 'config');
    const sshConfigText = await readSshConfigWithIncludes(sshConfigFile, this.options.home).catch((error: NodeJS.ErrnoException) => {
      if (error instanceof PortholeError) throw error;
      if (error.code === 'ENOENT' && !config.sshConfigFile) return '';
      throw new PortholeError(`Cannot read the ssh_config ${sshConfigFile} of cluster '${name}': ${error.message}`, {
        field: 'sshConfigFile',
        cause: error,
      });
    });
    const loginNodes = resolveLoginNodes(config, {
      sshConfigText,
      home: this.options.home,
      localUser: this.options.localUser,
      env: this.options.env,
    });
    const connectedBefore = await this.store.connectedBefore(name);
    const connection = new SshConnection({
      cluster: name,
      loginNodes,
      hostKeys: this.hostKeys,
      prompts: this.prompts,
      home: this.options.home,
      readyTimeoutMs: 180_000,
      connectedBefore,
    });
    if (!connectedBefore) {
      connection.once('up', () => {
        this.store
          .markConnected(name)
          .catch((error: Error) => this.options.log?.(`Could not note that '${name}' connected: ${error.message}`));
      });
    }
    const live = new LiveCluster(config, connection, this.options.bundle, this.options.nodeRuntimes, this.options.log);
    live.on('state', (state) => this.emit({ type: 'connection', state }));
    live.on('session', (session) => this.emit({ type: 'session', session }));
    this.liveClusters.set(name, live);
    return live;
  }

  /** The live cluster, connected (connecting first when it is not). */
  async connected(name: string): Promise<LiveCluster> {
    const live = await this.cluster(name);
    if (live.state.status !== 'connected') await live.connect();
    return live;
  }

  dropCluster(name: string): void {
    const live = this.liveClusters.get(name);
    if (!live) return;
    this.liveClusters.delete(name);
    this.bridge.tokens.revoke({ cluster: name });
    this.bridge.uploadTokens.revoke({ cluster: name });
    live.disconnect();
    this.emit({ type: 'connection', state: { cluster: name, status: 'offline' } });
  }

  async addDemoCluster(): Promise<ClusterConfig> {
    if (!this.options.demoCluster)
      throw new PortholeError('The demo cluster is only available from a Porthole checkout (it needs test/cluster/up).');
    // The demo's start-up takes minutes on a first run: its lines go out as the connection state
    // of `demo`, and its failure with them, since the window never sees this process's output.
    const starting = (reason: string, status: ConnectionState['status']) =>
      this.emit({ type: 'connection', state: { cluster: DEMO_CLUSTER, status, reason } });
    let config: ClusterConfig;
    try {
      config = await this.options.demoCluster((line) => starting(`Starting the demo cluster: ${line}`, 'connecting'));
    } catch (error) {
      starting((error as Error).message, 'failed');
      throw error;
    }
    this.emit({ type: 'connection', state: this.connectionState(DEMO_CLUSTER) });
    const existing = (await this.store.list()).find((c) => c.name === config.name);
    if (existing) {
      this.dropCluster(config.name);
      return this.store.update(config.name, config);
    }
    return this.store.add(config);
  }
}
