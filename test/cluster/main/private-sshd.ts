// A real OpenSSH sshd of a test's own: a free 127.0.0.1 port, a temporary folder holding its
// host keys and config, the user running the test let in with a key made here. stop() ends
// it by PID and removes the folder. Needs no test cluster.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './harness';

export interface PrivateSshd {
  port: number;
  dir: string;
  user: string;
  /** A key the sshd accepts for `user` (unencrypted). */
  userKeyFile: string;
  /** The public blob of each host key, by file name ('host_ed25519' …). */
  hostKeyBlob(name: string): Buffer;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** ssh-keygen types of the host keys to make (`ed25519`, `ecdsa`, `rsa`); the first is HostKey first. */
  hostKeyTypes: string[];
  /** Lines added to sshd_config (HostCertificate …); may use `{dir}` for the folder. */
  extraConfig?: string[];
  /** Runs after the keys are made and before sshd starts (to sign a host certificate). */
  prepare?: (dir: string) => void;
}

export function keygen(file: string, type: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', file]);
}

export function publicBlob(publicKeyFile: string): Buffer {
  return Buffer.from(readFileSync(publicKeyFile, 'utf8').trim().split(/\s+/)[1], 'base64');
}

export async function startPrivateSshd(options: SshdOptions): Promise<PrivateSshd> {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-sshd-'));
  let child: ReturnType<typeof spawn> | undefined;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const user = userInfo().username;
    const userKeyFile = join(dir, 'user_ed25519');
    keygen(userKeyFile, 'ed25519');
    for (const type of options.hostKeyTypes) keygen(join(dir, `host_${type}`), type);
    options.prepare?.(dir);
    await writeFile(join(dir, 'authorized_keys'), readFileSync(`${userKeyFile}.pub`));
    const port = await freePort();
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      ...options.hostKeyTypes.map((type) => `HostKey ${join(dir, `host_${type}`)}`),
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      // The files live in a temporary folder that StrictModes would refuse; this sshd is the test's own.
      'StrictModes no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      ...(options.extraConfig ?? []).map((line) => line.replaceAll('{dir}', dir)),
    ];
    await writeFile(join(dir, 'sshd_config'), config.join('\n') + '\n');
    child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await waitForPort(port, () => log);
    return { port, dir, user, userKeyFile, hostKeyBlob: (name) => publicBlob(join(dir, `${name}.pub`)), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForPort(port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (connected) return;
    if (Date.now() > deadline) throw new Error(`sshd on ${port} did not start: ${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
