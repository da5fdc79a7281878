// Starts the FAKE Sunshine (fake-sunshine.mjs) and puts the FAKE Moonlight (fake-moonlight.mjs)
// on a PATH of its own, for the unit tests and the bench that cannot have the real ones.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAKE_SUNSHINE = fileURLToPath(new URL('./fake-sunshine.mjs', import.meta.url));
export const FAKE_MOONLIGHT = fileURLToPath(new URL('./fake-moonlight.mjs', import.meta.url));

export interface FakeSunshine {
  host: string;
  portBase: number;
  username: string;
  password: string;
  /** What it printed (never a PIN or a password). */
  output(): string;
  stop(): void;
}

/** A fake Sunshine on 127.0.0.1 with fresh web credentials, stored hashed as the template stores them. */
export async function startFakeSunshine(stateDir = mkdtempSync(join(tmpdir(), 'porthole-fake-sunshine-'))): Promise<FakeSunshine> {
  const dir = mkdtempSync(join(tmpdir(), 'porthole-fake-sunshine-session-'));
  const username = 'porthole-test';
  const password = randomBytes(12).toString('hex');
  const salt = randomBytes(8).toString('hex');
  const hash = createHash('sha256').update(password + salt).digest('hex').toUpperCase();
  writeFileSync(join(dir, 'web-credentials.json'), JSON.stringify({ username, salt, password: hash }), { mode: 0o600 });
  const portBase = await freePortPair();
  const config = [
    `port = ${portBase}`,
    'bind_address = 127.0.0.1',
    `credentials_file = ${join(dir, 'web-credentials.json')}`,
    `file_state = ${join(stateDir, 'sunshine_state.json')}`,
    `pkey = ${join(stateDir, 'key.pem')}`,
    `cert = ${join(stateDir, 'cert.pem')}`,
  ].join('\n');
  writeFileSync(join(dir, 'sunshine.conf'), config + '\n');
  const child = spawn(process.execPath, [FAKE_SUNSHINE, join(dir, 'sunshine.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(child, () => output.includes('listening'), () => output);
  return { host: '127.0.0.1', portBase, username, password, output: () => output, stop: () => child.kill('SIGTERM') };
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
}

export interface MoonlightCall {
  argv: string[];
  /** Epoch ms when the fake started running. */
  at: number;
  pid: number;
}

export function fakeMoonlightOnPath(): FakeMoonlight {
  const root = mkdtempSync(join(tmpdir(), 'porthole-fake-moonlight-'));
  const binDir = join(root, 'bin');
  const recordsDir = join(root, 'records');
  mkdirSync(binDir);
  symlinkSync(FAKE_MOONLIGHT, join(binDir, 'moonlight'));
  const callsFile = join(recordsDir, 'calls.jsonl');
  const calls = (): MoonlightCall[] => (existsSync(callsFile) ? readFileSync(callsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as MoonlightCall) : []);
  return {
    binDir,
    env: { PATH: `${binDir}:/usr/local/bin:/usr/bin:/bin`, FAKE_MOONLIGHT_DIR: recordsDir, FAKE_MOONLIGHT_STREAM_SECONDS: '0.2' },
    calls,
    async waitForCall(verb, count = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls().filter((call) => call.argv[0] === verb)[count - 1];
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`the fake Moonlight got no \`${verb}\` call #${count} within ${timeoutMs} ms; calls: ${JSON.stringify(calls())}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
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
