// Failover between login nodes, as the cluster test and the bench both play it: a cluster whose
// login nodes are a stand-in for login1 (login-node-stand-in.ts) and the test cluster's login2,
// a desktop ready with a viewer showing it through main's bridge, then login1 frozen. The viewer
// behaves as the app's (renderer/views/viewer/use-vnc.ts): when its stream ends it waits the
// viewer's backoff, asks for a new viewer URL and connects again. Each step's time is kept.
import { createWebSocketStream, WebSocket } from 'ws';
import type { ConnectionState, Prompt, SessionView } from '../../../main/api';
import type { ApiBackend } from '../../../main/api-handlers';
import type { LiveCluster } from '../../../main/live-cluster';
import type { PortholeApp } from '../../../main/porthole-app';
import { backoffDelay, VIEWER_RECONNECT } from '../../../agent/common/backoff';
import { loadTestCluster } from '../fixture';
import { portholeApp, realBundle } from './harness';
import { startLoginNodeStandIn, type LoginNodeStandIn } from './login-node-stand-in';
import { firstPixels } from './rfb-pixels';

/** The page the viewer runs in, as `porthole serve` tells the bridge. */
const PAGE = 'http://127.0.0.1:8123';
export const CLUSTER = 'hpc';

export interface FailoverSetup {
  app: PortholeApp;
  backend: ApiBackend;
  live: LiveCluster;
  standIn: LoginNodeStandIn;
  /** The stand-in's entry in `hosts`, and login2's (`address:port`). */
  login1: string;
  login2: string;
  session: SessionView;
  prompts: Prompt[];
  states: { at: number; state: ConnectionState }[];
  sessionEvents: SessionView[];
  cleanup(): Promise<void>;
}

export async function setUpFailover(version: string): Promise<FailoverSetup> {
  const cluster = loadTestCluster();
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  };
  try {
    const standIn = await startLoginNodeStandIn(cluster.stateDir);
    cleanups.push(() => standIn.stop());
    const { app, backend } = await portholeApp(await realBundle(version));
    cleanups.push(() => app.stop());
    app.bridge.allowPageOrigins([PAGE]);
    const prompts: Prompt[] = [];
    const states: FailoverSetup['states'] = [];
    const sessionEvents: SessionView[] = [];
    backend.subscribe((event) => {
      if (event.type === 'prompt') {
        prompts.push(event.prompt);
        if (event.prompt.type === 'hostKey') void backend.handlers['prompts.answer'](event.prompt.id, { type: 'hostKey', trust: true });
      }
      if (event.type === 'connection' && event.state.cluster === CLUSTER) states.push({ at: performance.now(), state: event.state });
      if (event.type === 'session') sessionEvents.push(event.session);
    });
    const login1 = `127.0.0.1:${standIn.port}`;
    const login2Host = cluster.ssh.hosts.find((h) => h.name === 'login2');
    if (!login2Host) throw new Error('cluster.json lists no login2 under ssh.hosts: merge main and copy cluster.json again');
    const login2 = `${login2Host.host}:${login2Host.port}`;
    await backend.handlers['clusters.add']({
      name: CLUSTER,
      host: login1,
      hosts: [login1, login2],
      user: cluster.ssh.user,
      identityFile: cluster.ssh.identityFile,
      sshConfigFile: cluster.sshConfigFile,
    });
    await backend.handlers['clusters.connect'](CLUSTER);
    const live = await app.cluster(CLUSTER);
    cleanups.splice(1, 0, () => live.connection.run(`rm -rf "$HOME/.porthole/agent/${version}"`));
    let session = await backend.handlers['sessions.launch'](CLUSTER, 'vnc-desktop', {
      hours: 0.25,
      runtime: 'native',
      resolution: '1280x800',
    });
    cleanups.splice(1, 0, () => live.connection.run(`scancel ${session.jobId}`));
    for (let i = 0; i < 600 && session.state !== 'ready' && session.state !== 'ended'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      session = (await backend.handlers['sessions.list'](CLUSTER)).find((s) => s.id === session.id) ?? session;
    }
    if (session.state !== 'ready') throw new Error(`the desktop did not become ready: ${JSON.stringify(session)}`);
    return { app, backend, live, standIn, login1, login2, session, prompts, states, sessionEvents, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** A viewer that keeps itself connected, noting when pixels came. */
export class ReconnectingViewer {
  readonly pixelsAt: number[] = [];
  readonly dropsAt: number[] = [];
  private stopped = false;
  private socket: WebSocket | undefined;

  constructor(
    private readonly backend: ApiBackend,
    private readonly sessionId: string,
  ) {}

  /** Resolves at the first pixels. */
  async start(): Promise<void> {
    await this.open(0);
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }

  /** Resolves when pixels have come after `since`. */
  async pixelsAfter(since: number, timeoutMs: number): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const at = this.pixelsAt.find((t) => t > since);
      if (at !== undefined) return at;
      if (performance.now() > deadline) throw new Error(`no pixels within ${timeoutMs} ms; drops at ${this.dropsAt.join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async open(attempt: number): Promise<void> {
    if (this.stopped) return;
    try {
      const { url, password } = await this.backend.handlers['sessions.viewerUrl'](CLUSTER, this.sessionId);
      const ws = new WebSocket(url, { origin: PAGE });
      this.socket = ws;
      const stream = createWebSocketStream(ws);
      stream.on('error', () => undefined);
      ws.once('close', () => {
        this.dropsAt.push(performance.now());
        this.retry(1);
      });
      await firstPixels(stream, password);
      this.pixelsAt.push(performance.now());
    } catch {
      this.retry(attempt + 1);
    }
  }

  private retry(attempt: number): void {
    if (!this.stopped) setTimeout(() => void this.open(attempt), backoffDelay(attempt, VIEWER_RECONNECT));
  }
}

export interface FailoverTimes {
  /** From the freeze: the connection state says it lost login1 (keepalive). */
  detectedMs: number;
  /** ... connected again, agent answering, on `loginNode`. */
  connectedMs: number;
  /** ... the viewer shows pixels again. */
  pixelsMs: number;
  loginNode: string | undefined;
}

/** Freezes login1 with the viewer showing the desktop; resolves once pixels came again. */
export async function failOver(setup: FailoverSetup, viewer: ReconnectingViewer, timeoutMs = 30_000): Promise<FailoverTimes> {
  const frozenAt = performance.now();
  setup.standIn.freeze();
  const pixelsAt = await viewer.pixelsAfter(frozenAt, timeoutMs);
  const after = setup.states.filter((s) => s.at > frozenAt);
  const detected = after.find((s) => s.state.status === 'reconnecting');
  const connected = after.find((s) => s.state.status === 'connected');
  return {
    detectedMs: (detected?.at ?? NaN) - frozenAt,
    connectedMs: (connected?.at ?? NaN) - frozenAt,
    pixelsMs: pixelsAt - frozenAt,
    loginNode: connected?.state.loginNode,
  };
}
