// Starts `porthole serve` (dist/main/cli.cjs) with a fresh PORTHOLE_HOME and HOME, reads the
// address it prints, and stops it by its PID. Each test gets its own, like a new install.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PortholeServer {
  /** http://127.0.0.1:<port>/?token=… as printed. */
  url: string;
  home: string;
  pid: number;
  /** Everything it wrote to stderr, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

const cli = join(__dirname, '../../dist/main/cli.cjs');

export async function startPortholeServer(): Promise<PortholeServer> {
  const home = mkdtempSync(join(tmpdir(), 'porthole-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [cli, 'serve'], {
    env: { ...process.env, HOME: home, PORTHOLE_HOME: join(home, 'porthole') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.once('exit', (code, signal) => (stderr += `\n[porthole serve exited: code ${code}, signal ${signal}]\n`));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`porthole serve printed no address within 20 s.\nstdout: ${stdout}\nstderr: ${stderr}`)),
      20_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = stdout.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/);
      if (found) {
        clearTimeout(timer);
        resolve(found[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`porthole serve exited (${code}) before printing its address.\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
  return {
    url,
    home,
    pid: child.pid!,
    log: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid!, 'SIGTERM');
        const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
