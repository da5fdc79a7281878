// `relay <id>` joins this process's stdin/stdout to the session's desktop server by the route of
// docs/architecture.md §5; `relay-local <host:port|socket>` is the last hop, run on the node itself.
// Nothing is buffered: bytes go through as they come (srun needs -u for that, docs/field-notes.md).
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import type { Route } from './agent-config';
import type { CommandRunner } from './command-runner';
import { BadInputError } from './errors';
import type { VncConnection } from './protocol';
import { singleQuote } from './common/shell-quote';

export interface RelayTarget {
  jobId: string;
  connection: VncConnection;
}

/** The last hop as one string for relay-local: "127.0.0.1:5901" or an absolute socket path. */
export function localTarget(connection: VncConnection): string {
  return 'socket' in connection ? connection.socket : `127.0.0.1:${connection.port}`;
}

// The last hop runs on the node with the very Node that runs this agent: on a login node
// without Node that is the runtime Porthole put in the shared home, which the node sees too,
// while a bare `node` would depend on the node's PATH.
export function srunRelayCommand(target: RelayTarget, agentFile: string, nodePath = process.execPath): string[] {
  return [
    'srun',
    '-u',
    `--jobid=${target.jobId}`,
    '--overlap',
    '-N1',
    '-n1',
    `--nodelist=${target.connection.node}`,
    '--quiet',
    nodePath,
    agentFile,
    'relay-local',
    localTarget(target.connection),
  ];
}

export function sshRelayCommand(target: RelayTarget, agentFile: string, nodePath = process.execPath): string[] {
  const options = ['ssh', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'ServerAliveInterval=15', '-T'];
  if ('port' in target.connection) return [...options, '-W', `127.0.0.1:${target.connection.port}`, target.connection.node];
  // ssh hands the node's shell one string: each word quoted so paths with spaces stay whole.
  return [...options, target.connection.node, [nodePath, agentFile, 'relay-local', target.connection.socket].map(singleQuote).join(' ')];
}

/** `auto`: the SSH hop when the node lets us in (faster), else srun into the job (always there). */
export async function chooseRoute(route: Route, node: string, run: CommandRunner): Promise<Exclude<Route, 'auto'>> {
  if (route !== 'auto') return route;
  const probe = await run('ssh', ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-T', node, 'true'], { timeoutMs: 8000 }).catch(() => ({
    code: 1,
  }));
  return probe.code === 0 ? 'ssh' : 'srun';
}

/** Runs the relay to its end; resolves with the exit code for the CLI. */
export async function relay(target: RelayTarget, route: Exclude<Route, 'auto'>, agentFile: string): Promise<number> {
  if (route === 'direct') {
    if (!('port' in target.connection)) throw new BadInputError('route', route, 'a route that reaches a Unix socket: ssh or srun');
    return pipeSocket(connect(target.connection.port, target.connection.node));
  }
  const [command, ...args] = route === 'ssh' ? sshRelayCommand(target, agentFile) : srunRelayCommand(target, agentFile);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

export function relayLocal(target: string): Promise<number> {
  const port = /^127\.0\.0\.1:(\d{1,5})$/.exec(target);
  if (!port && !target.startsWith('/')) throw new BadInputError('target', target, '127.0.0.1:<port> or an absolute Unix socket path');
  return pipeSocket(port ? connect(Number(port[1]), '127.0.0.1') : connect(target));
}

function pipeSocket(socket: Socket): Promise<number> {
  return new Promise((resolve) => {
    socket.setNoDelay(true);
    process.stdin.pipe(socket);
    socket.pipe(process.stdout);
    socket.on('error', (error) => {
      process.stderr.write(`relay: ${error.message}\n`);
      resolve(1);
    });
    socket.on('close', () => resolve(0));
  });
}
