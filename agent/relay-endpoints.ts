// The relay endpoints `serve` keeps for ready sessions, so that opening a viewer starts no
// process on the login node: main reaches a Unix socket here through SSH's streamlocal
// forwarding (or, for `direct`, the node's address through direct-tcpip).
// - ssh: one OpenSSH master connection per node, a child of `serve`; each session's socket is a
//   forward the master itself listens on (`-O forward -L socket:target`), so a stream costs no
//   process and no handshake, and its bytes make no stop in between.
// - srun: the socket is served here, and each stream runs `srun … relay-local` in the job.
// A Sunshine session's web UI gets an endpoint the same way, to 127.0.0.1:portBase + 1 on its
// node: Sunshine answers it only from the node's loopback (origin_web_ui_allowed = pc).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Route } from './agent-config';
import { runChecked, type CommandRunner } from './command-runner';
import { BadInputError, CommandError } from './errors';
import type { RelayEndpoint, SunshineConnection } from './protocol';
import { localTarget, srunRelayCommand, type RelayTarget } from './relay';

export interface RelayEndpointDeps {
  route: Route;
  /** This agent's own file, which srun runs on the node as `relay-local`. */
  agentFile: string;
  /** A folder only this user can enter: the sockets and SSH control paths live there. */
  runtimeDir: string;
  /**
   * Names this `serve` among the user's others on the login node (the app on two computers, an
   * admin's CLI): each keeps its own masters and sockets in the shared runtime folder, so that
   * one that starts or ends never removes another's. The process id by default.
   */
  instance?: string;
  target: (sessionId: string) => RelayTarget;
  sunshineTarget: (sessionId: string) => { jobId: string; connection: SunshineConnection };
  run: CommandRunner;
  log: (line: string) => void;
}

const SSH_OPTIONS = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'ServerAliveInterval=15'];
const MASTER_WAIT_MS = 8000;
/**
 * OpenSSH lists chacha20-poly1305 first. With the AES instructions of any recent x86 or Arm
 * login node, AES-GCM moves the same bytes for half the client's CPU (1 GiB here: 0.5–0.6 s of
 * user time against 1.1 s), on both ends of a hop that carries every desktop byte.
 */
const PREFERRED_CIPHERS = [
  'aes128-gcm@openssh.com',
  'aes256-gcm@openssh.com',
  'chacha20-poly1305@openssh.com',
  'aes128-ctr',
  'aes192-ctr',
  'aes256-ctr',
];

type NodeRoute = { route: 'ssh'; controlPath: string } | { route: 'srun' | 'direct' };
type Opened = { node: string; endpoint: Promise<{ close(): void }> };

export class RelayEndpoints {
  private readonly routeByNode = new Map<string, Promise<NodeRoute>>();
  private readonly masters: ChildProcess[] = [];
  /** Each endpoint by its socket, with the node whose master (for ssh) carries it. */
  private readonly opened = new Map<string, Opened>();
  private ciphers?: Promise<string[]>;

  constructor(private readonly deps: RelayEndpointDeps) {}

  async open(sessionId: string): Promise<RelayEndpoint> {
    const target = this.deps.target(sessionId);
    const route = await this.route(target.connection.node);
    if (route.route === 'direct') {
      if (!('port' in target.connection)) throw new BadInputError('route', 'direct', 'a route that reaches a Unix socket: ssh or srun');
      return { host: target.connection.node, port: target.connection.port };
    }
    return this.endpoint(this.socketPath('relay', sessionId), target, route);
  }

  /** An endpoint to the session's Sunshine web UI, on its node's loopback. */
  async openSunshineWebUi(sessionId: string): Promise<RelayEndpoint> {
    const { jobId, connection } = this.deps.sunshineTarget(sessionId);
    // relay.ts's last hop `127.0.0.1:<port>` is typed for a VNC port; the web UI is such a port.
    const target: RelayTarget = { jobId, connection: { kind: 'vnc', node: connection.node, port: connection.portBase + 1 } };
    const route = await this.route(connection.node);
    // `direct` reaches the node's address, where Sunshine refuses its web UI: srun reaches the loopback.
    return this.endpoint(this.socketPath('sunshine-web', sessionId), target, route.route === 'direct' ? { route: 'srun' } : route);
  }

  private async endpoint(socket: string, target: RelayTarget, route: NodeRoute): Promise<RelayEndpoint> {
    let opened = this.opened.get(socket);
    if (!opened) {
      const endpoint = route.route === 'ssh' ? this.forward(route.controlPath, socket, target) : this.serveSrun(socket, target);
      opened = { node: target.connection.node, endpoint };
      this.opened.set(socket, opened);
      endpoint.catch(() => this.opened.delete(socket));
    }
    await opened.endpoint;
    return { socket };
  }

  /** Chooses the route to a node (and starts its SSH master) ahead of the first stream. */
  warm(node: string): void {
    // Warming only saves time: the stream that needs this route asks for it again and hears the failure.
    this.route(node).catch(() => undefined);
  }

  /** Closes the session's endpoints: its viewer relay and, for Sunshine, its web UI. */
  close(sessionId: string): void {
    this.closeSocket(this.socketPath('relay', sessionId));
    this.closeSocket(this.socketPath('sunshine-web', sessionId));
  }

  private socketPath(kind: 'relay' | 'sunshine-web', sessionId: string): string {
    return join(this.deps.runtimeDir, `${kind}-${sessionId}-${this.instance}.sock`);
  }

  private get instance(): string {
    return this.deps.instance ?? String(process.pid);
  }

  closeAll(): void {
    for (const socket of [...this.opened.keys()]) this.closeSocket(socket);
    for (const master of this.masters) master.kill();
  }

  private closeSocket(socket: string): void {
    const opened = this.opened.get(socket);
    this.opened.delete(socket);
    void opened?.endpoint.then(
      (o) => o.close(),
      () => undefined,
    );
  }

  private route(node: string): Promise<NodeRoute> {
    let route = this.routeByNode.get(node);
    if (!route) {
      route = this.chooseRoute(node);
      this.routeByNode.set(node, route);
    }
    return route;
  }

  /** `auto`: the SSH hop when the node lets us in (its master is the probe), else srun. */
  private async chooseRoute(node: string): Promise<NodeRoute> {
    const { route } = this.deps;
    if (route === 'srun' || route === 'direct') return { route };
    try {
      return { route: 'ssh', controlPath: await this.startMaster(node) };
    } catch (error) {
      if (route === 'ssh') throw error;
      this.deps.log(`relay: no SSH hop to ${node} (${(error as Error).message}); using srun`);
      return { route: 'srun' };
    }
  }

  private async startMaster(node: string): Promise<string> {
    const controlPath = join(this.deps.runtimeDir, `cm-${node}-${this.instance}`);
    rmSync(controlPath, { force: true });
    const ciphers = await this.cipherOptions();
    // A session, not -N: sshd turns Nagle's algorithm off only when a session starts. Without
    // one, every reply the desktop server sent in two writes waited for a delayed ACK: 45 ms per
    // exchange through a forward against 3 ms with a session. `cat` holds the session for as
    // long as this agent holds its stdin, so the master also ends when the agent dies.
    const master = spawn(
      'ssh',
      [...SSH_OPTIONS, ...ciphers, '-o', 'ControlPersist=no', '-M', '-S', controlPath, '-T', node, 'exec cat >/dev/null'],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    this.masters.push(master);
    let stderr = '';
    master.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    master.stdin!.on('error', () => undefined);
    master.on('close', () => {
      // A master that is gone takes its forwards with it: the next stream starts again, and
      // no session keeps a socket nobody listens on any more.
      this.routeByNode.delete(node);
      this.masters.splice(this.masters.indexOf(master), 1);
      for (const [socket, opened] of this.opened) if (opened.node === node) this.opened.delete(socket);
    });
    const started = Date.now();
    while (Date.now() - started < MASTER_WAIT_MS) {
      if (master.exitCode !== null) throw new CommandError(`ssh to ${node} failed: ${stderr.trim()}`, stderr.trim());
      // The control socket appears once the master has signed in. Looking for it costs nothing;
      // an `ssh -O check` every few ms cost a process each while the desktop started beside it.
      if (existsSync(controlPath)) {
        const check = await this.deps.run('ssh', ['-S', controlPath, '-O', 'check', node], { timeoutMs: 2000 }).catch(() => ({ code: 1 }));
        if (check.code === 0) return controlPath;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    master.kill();
    throw new CommandError(`ssh to ${node} did not connect within ${MASTER_WAIT_MS / 1000} s`, stderr.trim());
  }

  /**
   * AES-GCM first when this ssh has it. Only names `ssh -Q cipher` lists are given: an unknown
   * one fails the connection (a FIPS build has no chacha20). An ssh that cannot say keeps its own.
   */
  private cipherOptions(): Promise<string[]> {
    this.ciphers ??= this.deps
      .run('ssh', ['-Q', 'cipher'], { timeoutMs: 2000 })
      .then(({ code, stdout }) => {
        const known = new Set(stdout.split('\n').map((line) => line.trim()));
        const ciphers = PREFERRED_CIPHERS.filter((name) => known.has(name));
        return code === 0 && known.has(PREFERRED_CIPHERS[0]) ? ['-o', `Ciphers=${ciphers.join(',')}`] : [];
      })
      .catch(() => []);
    return this.ciphers;
  }

  /** The node's master listens on `socket` and forwards each connection to the desktop server. */
  private async forward(controlPath: string, socket: string, target: RelayTarget): Promise<{ close(): void }> {
    rmSync(socket, { force: true });
    const spec = `${socket}:${localTarget(target.connection)}`;
    const { run } = this.deps;
    await runChecked(run, 'ssh', ['-S', controlPath, '-O', 'forward', '-L', spec, target.connection.node], { timeoutMs: 5000 });
    return {
      close: () => {
        // A cancel fails when the master is gone, which took the forward with it; the socket file goes either way.
        void run('ssh', ['-S', controlPath, '-O', 'cancel', '-L', spec, target.connection.node], { timeoutMs: 5000 })
          .catch(() => undefined)
          .finally(() => rmSync(socket, { force: true }));
      },
    };
  }

  private async serveSrun(socket: string, target: RelayTarget): Promise<{ close(): void }> {
    rmSync(socket, { force: true });
    const server: Server = createServer((stream) => this.carry(stream, srunRelayCommand(target, this.deps.agentFile)));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => resolve());
    });
    return { close: () => server.close() };
  }

  /** One viewer stream over srun: its stdio joined to the socket. */
  private carry(socket: Socket, [command, ...args]: string[]): void {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    socket.pipe(child.stdin);
    child.stdout.pipe(socket);
    child.stderr.on('data', (chunk: Buffer) => this.deps.log(`relay: ${chunk.toString().trim()}`));
    child.stdin.on('error', () => undefined);
    socket.on('error', () => child.stdin.end());
    child.on('error', (error) => {
      this.deps.log(`relay: cannot run ${command}: ${error.message}`);
      socket.destroy();
    });
    child.on('close', () => socket.end());
  }
}

/** A folder in /tmp that only this user can enter; refused if someone else made it first. */
export function privateRuntimeDir(tmp: string, uid: number): string {
  const dir = join(tmp, `porthole-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) {
    throw new BadInputError('runtime folder', dir, `a folder owned by uid ${uid} with mode 0700 (remove it and try again)`);
  }
  return dir;
}
