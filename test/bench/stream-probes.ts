// What the throughput bench (throughput.bench.ts) moves and reads: a byte source on the login
// node or on node01, readers for a TCP port and for the viewer bridge's WebSocket, and OpenSSH's
// `ssh -L` as the baseline, all of the same STREAM_BYTES.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import type { TestCluster } from '../cluster/fixture';
import { freePort } from '../cluster/main/harness';
import { median } from './figures';
import { cpuSecondsOf } from './process-cpu';

export const STREAM_BYTES = 256 * 1024 * 1024;
export const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
export const RUNS = 5;

/**
 * Runs the two measurements RUNS times each, in turn and swapping which goes first every run
 * (the machine's load drifts, and neither side should always follow the other), and gives medians.
 */
export async function interleaved(
  measured: () => Promise<[number, number]>,
  baseline: () => Promise<[number, number]>,
): Promise<[number, number, number, number]> {
  const results: [number, number][][] = [[], []];
  for (let run = 0; run < RUNS; run += 1) {
    if (run % 2 === 0) {
      results[0].push(await measured());
      results[1].push(await baseline());
    } else {
      results[1].push(await baseline());
      results[0].push(await measured());
    }
  }
  const m = (i: 0 | 1, j: 0 | 1) => median(results[i].map((r) => r[j]));
  return [m(0, 0), m(0, 1), m(1, 0), m(1, 1)];
}

/** A TCP server that sends `bytes` of zeros (the bench-stream template's job runs the same sender) to each client, then closes. */
const SOURCE_SCRIPT = `const n=require('net');const b=Buffer.alloc(1<<20);n.createServer(s=>{s.on('error',()=>{});let left=${STREAM_BYTES};const w=()=>{while(left>0){left-=b.length;if(!s.write(b))return s.once('drain',w)}s.end()};w()}).listen(+process.argv[1],process.argv[2],()=>console.log('ready'))`;

export function startSource(address: string, port: number, netns?: string): Promise<ChildProcess> {
  const command = netns
    ? ['ip', ['netns', 'exec', netns, process.execPath, '-e', SOURCE_SCRIPT, String(port), address]]
    : [process.execPath, ['-e', SOURCE_SCRIPT, String(port), address]];
  const child = spawn(command[0] as string, command[1] as string[], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('error', reject);
    child.once('close', (code) => reject(new Error(`the byte source exited (${code})`)));
  });
}

/** Reads a whole stream from a TCP port; returns [set-up ms (to first byte), MiB/s]. */
export function drainTcp(port: number): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = 0;
    let received = 0;
    const socket = new Socket();
    socket.on('data', (d: Buffer) => {
      if (!first) first = performance.now();
      received += d.length;
    });
    socket.on('close', () =>
      received >= STREAM_BYTES
        ? resolve([first - started, received / MiB / ((performance.now() - first) / 1000)])
        : reject(new Error(`got ${received} bytes`)),
    );
    socket.on('error', reject);
    socket.connect(port, '127.0.0.1');
  });
}

/** The page the viewer runs in, as `porthole serve` tells the bridge (it refuses other origins). */
export const VIEWER_PAGE = 'http://127.0.0.1:8123';

/**
 * Reads a whole stream through the bridge in a process of its own, as a browser would: in
 * this process it would share one thread with the bridge and its SSH decryption.
 */
export function drainWebSocket(url: string): Promise<[number, number]> {
  const script = `const W=require(${JSON.stringify(require.resolve('ws'))});const t0=performance.now();let first=0,n=0;const ws=new W(process.argv[1],{origin:${JSON.stringify(VIEWER_PAGE)}});ws.on('message',d=>{if(!first)first=performance.now();n+=d.length;if(n>=${STREAM_BYTES}){console.log(JSON.stringify([first-t0,n/1048576/((performance.now()-first)/1000)]));ws.close();process.exit(0)}});ws.on('error',e=>{console.error(e.message);process.exit(1)})`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(output) as [number, number]) : reject(new Error(`the WebSocket reader failed (${code})`)),
    );
  });
}

/**
 * OpenSSH's `ssh -L` through the test cluster's sshd to address:port, as a Strudel/TurboVNC user
 * would tunnel. With `cpuPerGiB`, the CPU seconds ssh spent per GiB of the stream go there.
 */
export async function sshL(state: TestCluster, address: string, port: number, cpuPerGiB?: number[]): Promise<[number, number]> {
  const { local, ssh } = await sshForward(state, 'porthole-test', address, port);
  try {
    // The probe that saw the forward up fetched (and dropped) one stream; this one is measured.
    const cpuBefore = cpuSecondsOf(ssh.pid!);
    const result = await drainTcp(local);
    cpuPerGiB?.push((cpuSecondsOf(ssh.pid!) - cpuBefore) / (STREAM_BYTES / GiB));
    return result;
  } finally {
    ssh.kill('SIGTERM');
  }
}

/** `ssh -N -L` to address:port through sshHost, once its local port accepts connections. */
export async function sshForward(
  state: TestCluster,
  sshHost: string,
  address: string,
  port: number,
): Promise<{ local: number; ssh: ChildProcess }> {
  const local = await freePort();
  const ssh = spawn(
    'ssh',
    ['-F', state.sshConfigFile, '-N', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${local}:${address}:${port}`, sshHost],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const socket = await connectLocal(local).catch(() => undefined);
    if (socket) {
      socket.destroy();
      return { local, ssh };
    }
    if (Date.now() > deadline) {
      ssh.kill('SIGTERM');
      throw new Error(`ssh -L through ${sshHost} did not come up`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function connectLocal(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1');
  });
}

/** Which AES-GCM ssh2 runs here: its C++ binding, which npm ci builds when it can, or Node's crypto. */
export function sshCryptoKind(): string {
  return readFileSync('/proc/self/maps', 'utf8').includes('sshcrypto.node')
    ? "ssh2's native binding (sshcrypto.node)"
    : "Node's crypto (ssh2's native binding was not built)";
}
