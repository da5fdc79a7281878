// Starts the FAKE Sunshine (fake-sunshine.mjs) and puts the FAKE Moonlight (fake-moonlight.mjs)
// on a PATH of its own, for the unit tests and the bench that cannot have the real ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { certificateSha256 } from '../../agent/sunshine-certificate';

export const FAKE_SUNSHINE = fileURLToPath(new URL('./fake-sunshine.mjs', import.meta.url));
export const FAKE_MOONLIGHT = fileURLToPath(new URL('./fake-moonlight.mjs', import.meta.url));

// What a caller did not stop or remove (a test that failed first) goes when the process ends.
const running = new Set<ChildProcess>();
const madeDirs = new Set<string>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
});

function madeDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.add(dir);
  return dir;
}

/** Removed now, and again at exit: a fake stopped mid-request may still write its state (mkdir -p). */
function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface FakeSunshine {
  host: string;
  portBase: number;
  username: string;
  password: string;
  /** SHA-256 of its certificate's DER, lower-case hex: what the agent reads from the shared home. */
  certSha256: string;
  /** What it printed (never a PIN or a password). */
  output(): string;
  /** Stops it and removes the folders it made (not a state folder it was given). */
  stop(): void;
}

/**
 * A fake Sunshine on 127.0.0.1 with fresh web credentials, stored hashed as the template stores
 * them, and the template's web-UI origin and stream encryption.
 */
export async function startFakeSunshine(givenStateDir?: string): Promise<FakeSunshine> {
  const stateDir = givenStateDir ?? madeDir('porthole-fake-sunshine-');
  const dir = madeDir('porthole-fake-sunshine-session-');
  const username = 'porthole-test';
  const password = randomBytes(12).toString('hex');
  const salt = randomBytes(8).toString('hex');
  const hash = createHash('sha256')
    .update(password + salt)
    .digest('hex')
    .toUpperCase();
  writeFileSync(join(dir, 'web-credentials.json'), JSON.stringify({ username, salt, password: hash }), { mode: 0o600 });
  const portBase = await freePortPair();
  const config = [
    `port = ${portBase}`,
    'bind_address = 127.0.0.1',
    'origin_web_ui_allowed = pc',
    'lan_encryption_mode = 2',
    'wan_encryption_mode = 2',
    `credentials_file = ${join(dir, 'web-credentials.json')}`,
    `file_state = ${join(stateDir, 'sunshine_state.json')}`,
    `pkey = ${join(stateDir, 'key.pem')}`,
    `cert = ${join(stateDir, 'cert.pem')}`,
  ].join('\n');
  writeFileSync(join(dir, 'sunshine.conf'), config + '\n');
  const child = spawn(process.execPath, [FAKE_SUNSHINE, join(dir, 'sunshine.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = () => {
    child.kill('SIGTERM');
    for (const made of givenStateDir ? [dir] : [dir, stateDir]) removeDir(made);
  };
  await waitFor(
    child,
    () => output.includes('listening'),
    () => output,
  ).catch((error: Error) => {
    stop();
    throw error;
  });
  const certSha256 = certificateSha256(readFileSync(join(stateDir, 'cert.pem'), 'utf8'));
  return { host: '127.0.0.1', portBase, username, password, certSha256, output: () => output, stop };
}

export interface FakeMoonlight {
  /** A folder with `moonlight` in it, to put on PATH. */
  binDir: string;
  /** The environment Moonlight runs with: that PATH and the fake's records folder. */
  env: NodeJS.ProcessEnv;
  /** Every call so far, in order. */
  calls(): MoonlightCall[];
  /** The `count`-th call with this verb, once the fake has recorded it (a stream starts detached). */
  waitForCall(verb: string, count?: number, timeoutMs?: number): Promise<MoonlightCall>;
  /** Removes its folders. */
  remove(): void;
}

export interface MoonlightCall {
  argv: string[];
  /** Epoch ms when the fake started running. */
  at: number;
  pid: number;
}

/** `uniqueId`: the client's identity (a random one otherwise); Sunshine gives a PIN to the lowest pending one. */
export function fakeMoonlightOnPath(options: { uniqueId?: string } = {}): FakeMoonlight {
  const root = madeDir('porthole-fake-moonlight-');
  const binDir = join(root, 'bin');
  const recordsDir = join(root, 'records');
  mkdirSync(binDir);
  if (options.uniqueId) {
    mkdirSync(recordsDir);
    writeFileSync(join(recordsDir, 'uniqueid'), options.uniqueId);
  }
  symlinkSync(FAKE_MOONLIGHT, join(binDir, 'moonlight'));
  const callsFile = join(recordsDir, 'calls.jsonl');
  const calls = (): MoonlightCall[] =>
    existsSync(callsFile)
      ? readFileSync(callsFile, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as MoonlightCall)
      : [];
  return {
    binDir,
    env: { PATH: `${binDir}:/usr/local/bin:/usr/bin:/bin`, FAKE_MOONLIGHT_DIR: recordsDir, FAKE_MOONLIGHT_STREAM_SECONDS: '0.2' },
    calls,
    async waitForCall(verb, count = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls().filter((call) => call.argv[0] === verb)[count - 1];
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`the fake Moonlight got no \`${verb}\` call #${count} within ${timeoutMs} ms; calls: ${JSON.stringify(calls())}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    remove: () => removeDir(root),
  };
}

/** A port P with P + 1 free as well (Sunshine's HTTP port and its web UI). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as { port: number };
        server.close(() => resolve(p));
      });
      server.on('error', reject);
    });
    if (port < 65_000 && (await isFree(port + 1))) return port;
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer().listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    server.on('error', () => resolve(false));
  });
}

function waitFor(child: ChildProcess, ready: () => boolean, output: () => string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const timer = setInterval(() => {
      if (ready()) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null || Date.now() > deadline) {
        clearInterval(timer);
        reject(new Error(`the fake Sunshine did not start: ${output()}`));
      }
    }, 20);
  });
}
