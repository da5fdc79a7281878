// The app as `porthole serve` runs it (PortholeApp and its web host), in this process so that a
// native viewer can take the very same route to a session (LiveCluster.openRelay: the agent's
// relay endpoint, by the default route), with sessions of the bench-motion template (a fixed
// workload in a 1920×1080 Xvnc on node01).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { SessionView } from '../../main/api';
import { WebHost } from '../../main/host/server';
import { loadTestCluster, sshRun, type TestCluster } from '../cluster/fixture';
import { portholeApp, projectRoot, realBundle } from '../cluster/main/harness';

const TEMPLATE = join(projectRoot, 'test/bench/templates/bench-motion');
const CLUSTER = 'bench';

export type Workload = 'gears' | 'scroll' | 'terminal';

export interface MotionSession {
  id: string;
  jobId: string;
  /** The session folder on the shared home, as this machine sees it. */
  dir: string;
  /** What the job wrote: the node and Xvnc's Unix socket there. */
  socket: string;
}

export class MotionDesktop {
  private readonly sessions: MotionSession[] = [];

  private constructor(
    readonly cluster: TestCluster,
    private readonly made: Awaited<ReturnType<typeof portholeApp>>,
    private readonly host: WebHost,
    /** The page to open in the browser (it carries the host's token). */
    readonly url: string,
  ) {}

  /** The app with the test cluster added and connected, and the bench-motion template on the login node. */
  static async start(): Promise<MotionDesktop> {
    const cluster = loadTestCluster();
    await sshRun('mkdir -p "$HOME/.porthole/templates"');
    execFileSync('scp', ['-q', '-r', '-F', cluster.sshConfigFile, TEMPLATE, 'porthole-test:.porthole/templates/'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const made = await portholeApp(await realBundle('0.0.0-bench-motion'));
    const host = new WebHost({ backend: made.backend, rendererDir: join(projectRoot, 'dist/renderer'), port: 0 });
    const url = await host.listen();
    made.app.bridge.allowPageOrigins(host.origins);
    made.backend.subscribe((event) => {
      if (event.type === 'prompt' && event.prompt.type === 'hostKey')
        void made.backend.handlers['prompts.answer'](event.prompt.id, { type: 'hostKey', trust: true });
    });
    const desktop = new MotionDesktop(cluster, made, host, url);
    await made.backend.handlers['clusters.add']({ name: CLUSTER, host: 'porthole-test', sshConfigFile: cluster.sshConfigFile });
    await made.backend.handlers['clusters.connect'](CLUSTER);
    return desktop;
  }

  /** Launches a session with this workload and waits until it is ready. */
  async launch(workload: Workload): Promise<MotionSession> {
    let session: SessionView = await this.made.backend.handlers['sessions.launch'](CLUSTER, 'bench-motion', { hours: 0.25, workload });
    for (let i = 0; i < 600 && session.state !== 'ready' && session.state !== 'ended'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      session = (await this.made.backend.handlers['sessions.list'](CLUSTER)).find((s) => s.id === session.id) ?? session;
    }
    if (session.state !== 'ready') throw new Error(`the bench-motion session (${workload}) did not get ready: ${JSON.stringify(session)}`);
    const dir = join(this.cluster.ssh.home, '.porthole/sessions', session.id);
    const { socket } = JSON.parse(readFileSync(join(dir, 'connection.json'), 'utf8')) as { socket: string };
    const made = { id: session.id, jobId: session.jobId ?? '', dir, socket };
    this.sessions.push(made);
    return made;
  }

  /**
   * Cancels the session's job and waits until it has left the queue: a workload still running
   * would take CPU from the next figure's (this machine's two cores hold every part).
   */
  async end(session: MotionSession): Promise<void> {
    await sshRun(`scancel ${session.jobId}`);
    for (let i = 0; i < 300; i++) {
      const listed = await sshRun(`squeue -h -t PENDING,CONFIGURING,RUNNING,COMPLETING -j ${session.jobId} -o %i 2>/dev/null`);
      if (!listed.stdout.trim()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${session.jobId} was still in the queue 30 s after scancel`);
  }

  /** Xvnc's log so far (the job's output.log). */
  jobLog(session: MotionSession): string {
    return readFileSync(join(session.dir, 'output.log'), 'utf8');
  }

  /**
   * A TCP port on 127.0.0.1 for a native viewer: each connection is joined to a stream opened as
   * the app's viewer bridge opens its own (LiveCluster.openRelay), bytes as they come.
   * `connectedAt` gets performance.now() of each connection.
   */
  async nativeViewerPort(session: MotionSession): Promise<{ port: number; connectedAt: number[]; close: () => Promise<void> }> {
    const live = await this.made.app.cluster(CLUSTER);
    const sockets = new Set<Socket>();
    const connectedAt: number[] = [];
    const server: Server = createServer((socket) => {
      connectedAt.push(performance.now());
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.pause();
      live.openRelay(session.id).then(
        (relay: Duplex) => {
          socket.pipe(relay).pipe(socket);
          socket.resume();
          relay.on('error', () => socket.destroy());
          socket.on('error', () => relay.destroy());
          socket.on('close', () => relay.destroy());
        },
        () => socket.destroy(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return {
      port,
      connectedAt,
      close: async () => {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  }

  async stop(): Promise<void> {
    for (const session of this.sessions) await sshRun(`scancel ${session.jobId}`).catch(() => undefined);
    await sshRun('rm -rf "$HOME/.porthole/templates/bench-motion"').catch(() => undefined);
    await this.host.close();
    await this.made.app.stop();
  }
}
