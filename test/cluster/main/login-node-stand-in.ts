// A login node a test may freeze: a second instance of login1's own sshd (its sshd_config, host
// key, users and SLURM_CONF), on a free 127.0.0.1 port with its own PID file, so that freezing it
// never stalls the shared login1 under the other tests. freeze() stops its listener and every
// process under it (the sessions it serves, their agent) with SIGSTOP: the login node falls
// silent as a hung or powered-off host does (no FIN, no RST), and only a keepalive notices.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { freePort, tempDir } from '../fixture';

export interface LoginNodeStandIn {
  port: number;
  /** SIGSTOP to its sshd and everything under it; returns the PIDs stopped. */
  freeze(): number[];
  /** SIGCONT to what freeze() stopped. */
  thaw(): void;
  /** SIGKILL to its sshd and everything under it: the login node is gone and refuses new connections. */
  crash(): void;
  stop(): Promise<void>;
}

export async function startLoginNodeStandIn(stateDir: string): Promise<LoginNodeStandIn> {
  const port = await freePort();
  const pidFile = join(tempDir('login-stand-in'), 'sshd.pid');
  const child = spawn(
    '/usr/sbin/sshd',
    ['-D', '-e', '-f', join(stateDir, 'etc/sshd_config'), '-o', `Port=${port}`, '-o', `PidFile=${pidFile}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  let frozen: number[] = [];
  const signal = (pids: number[], name: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, name);
      } catch {
        // Gone meanwhile: nothing left to stop or wake.
      }
    }
  };
  const standIn: LoginNodeStandIn = {
    port,
    freeze() {
      frozen = [child.pid!, ...descendants(child.pid!)];
      signal(frozen, 'SIGSTOP');
      return frozen;
    },
    thaw() {
      signal(frozen, 'SIGCONT');
      frozen = [];
    },
    crash() {
      signal([child.pid!, ...descendants(child.pid!)], 'SIGKILL');
    },
    async stop() {
      standIn.thaw();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
  try {
    await waitForGreeting(port, () => log);
  } catch (error) {
    await standIn.stop();
    throw error;
  }
  return standIn;
}

/** Every process under `pid`, from /proc's parent links. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name is in parentheses and may hold spaces: the parent PID is the 2nd field after it.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const walk = (at: number) => {
    for (const child of parents.get(at) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

async function waitForGreeting(port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('data', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (greeted) return;
    if (Date.now() > deadline) throw new Error(`the stand-in sshd on ${port} did not start: ${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
