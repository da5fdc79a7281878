// Workstation-side figures: viewer-stream throughput through the bridge next to
// OpenSSH `ssh -L` in the same run, the set-up time of each route, connect → agent hello with
// the agent installed (goal ≤ 300 ms), and the time to come back after a dropped connection.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { AgentChannel } from '../../main/agent/agent-channel';
import type { SshConnection } from '../../main/ssh/connection';
import type { SessionView } from '../../main/api';
import { ViewerBridge } from '../../main/viewer-bridge/bridge';
import type { AgentBundle } from '../../main/agent/bootstrap';
import { loadTestCluster, type TestCluster } from '../cluster/fixture';
import { freePort, Person, portholeApp, projectRoot, realBundle, sshConnection, trustEveryHostKey } from '../cluster/main/harness';
import { median, type Bench, type BenchContext } from './figures';

const STREAM_BYTES = 256 * 1024 * 1024;
const MiB = 1024 * 1024;
const RUNS = 3;

/** Runs the two measurements in turn, RUNS times each (the machine's load drifts), and gives medians. */
async function interleaved(
  bridge: () => Promise<[number, number]>,
  baseline: () => Promise<[number, number]>,
): Promise<[number, number, number, number]> {
  const results: [number, number][][] = [[], []];
  for (let run = 0; run < RUNS; run += 1) {
    results[0].push(await bridge());
    results[1].push(await baseline());
  }
  const m = (i: 0 | 1, j: 0 | 1) => median(results[i].map((r) => r[j]));
  return [m(0, 0), m(0, 1), m(1, 0), m(1, 1)];
}

const bench: Bench = async (context) => {
  const state = loadTestCluster();
  const bundle = await realBundle(`0.0.0-bench`);
  const { connection } = await sshConnection(
    { name: 'bench', host: 'porthole-test', sshConfigFile: state.sshConfigFile },
    new Person(trustEveryHostKey),
  );
  await connection.connect();
  try {
    await helloFigures(context, state, bundle);
    await throughputFigures(context, state, connection);
    await routeFigures(context, state, bundle, connection);
    await jumpLatencyFigure(context, state);
    await reconnectFigure(context, state, bundle);
  } finally {
    await connection.run(`rm -rf "$HOME/.porthole/agent/0.0.0-bench"`).catch(() => undefined);
    connection.disconnect();
  }
};
export default bench;

async function helloFigures(context: BenchContext, state: TestCluster, bundle: AgentBundle) {
  // Install once, then measure what every later start costs.
  const warm = await sshConnection(
    { name: 'bench', host: 'porthole-test', sshConfigFile: state.sshConfigFile },
    new Person(trustEveryHostKey),
  );
  await warm.connection.connect();
  await new AgentChannel(warm.connection, bundle, { cluster: 'bench' }).start();
  warm.connection.disconnect();
  const totals: number[] = [];
  for (let run = 0; run < 10; run += 1) {
    const { connection } = await sshConnection(
      { name: 'bench', host: 'porthole-test', sshConfigFile: state.sshConfigFile },
      new Person(trustEveryHostKey),
      { home: warm.home },
    );
    const started = performance.now();
    await connection.connect();
    const agent = new AgentChannel(connection, bundle, { cluster: 'bench' });
    await agent.start();
    totals.push(performance.now() - started);
    agent.stop();
    connection.disconnect();
  }
  context.note(`connect → hello: SSH handshake + auth + one exec that checks the agent's hash and runs it; the real agent; 10 runs`);
  context.figure({ name: 'connect → agent hello (agent installed), median', value: median(totals), unit: 'ms', goal: '≤ 300 ms' });
}

/** A TCP server that sends `bytes` of zeros (the bench-stream template's job runs the same sender) to each client, then closes. */
const SOURCE_SCRIPT = `const n=require('net');const b=Buffer.alloc(1<<20);n.createServer(s=>{s.on('error',()=>{});let left=${STREAM_BYTES};const w=()=>{while(left>0){left-=b.length;if(!s.write(b))return s.once('drain',w)}s.end()};w()}).listen(+process.argv[1],process.argv[2],()=>console.log('ready'))`;

function startSource(address: string, port: number, netns?: string): Promise<ChildProcess> {
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
function drainTcp(port: number): Promise<[number, number]> {
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
const VIEWER_PAGE = 'http://127.0.0.1:8123';

/**
 * Reads a whole stream through the bridge in a process of its own, as a browser would: in
 * this process it would share one thread with the bridge and its SSH decryption.
 */
function drainWebSocket(url: string): Promise<[number, number]> {
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

const GiB = 1024 * MiB;

/** User + system CPU seconds a process has used so far (Linux clock ticks are 1/100 s). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * OpenSSH's `ssh -L` through the test cluster's sshd to address:port, as a Strudel/TurboVNC user
 * would tunnel. With `cpuPerGiB`, the CPU seconds ssh spent per GiB of the stream go there.
 */
async function sshL(state: TestCluster, address: string, port: number, cpuPerGiB?: number[]): Promise<[number, number]> {
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
async function sshForward(
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

function connectLocal(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1');
  });
}

/** Which AES-GCM ssh2 runs here: its C++ binding, which npm ci builds when it can, or Node's crypto. */
function sshCryptoKind(): string {
  return readFileSync('/proc/self/maps', 'utf8').includes('sshcrypto.node')
    ? "ssh2's native binding (sshcrypto.node)"
    : "Node's crypto (ssh2's native binding was not built)";
}

async function throughputFigures(context: BenchContext, state: TestCluster, connection: SshConnection) {
  let relayToLogin = '';
  let nodeTarget = { host: '', port: 0 };
  // The bridge as the app runs it. Login node: an exec channel (what `relay <id>` is when the
  // agent has no endpoint). Node: the `direct` route as LiveCluster.openRelay opens it, a
  // direct-tcpip channel to the node's address (the endpoint `sessions.relay` gives).
  const bridge = new ViewerBridge(
    async (target) =>
      (target.sessionId === 'login'
        ? connection.exec(relayToLogin)
        : connection.forwardOut(nodeTarget.host, nodeTarget.port)) as Promise<Duplex>,
  );
  bridge.allowPageOrigins([VIEWER_PAGE]);
  await bridge.listen();
  context.note(`workstation SSH decryption: ${sshCryptoKind()}`);
  try {
    // Login side: a source on the login node's loopback, through the bridge and through ssh -L.
    const loginPort = await freePort();
    const loginSource = await startSource('127.0.0.1', loginPort);
    try {
      relayToLogin = `socat - TCP:127.0.0.1:${loginPort}`;
      const [bridgeSetup, bridgeRate, sshSetup, sshRate] = await interleaved(
        () => drainWebSocket(bridge.urlFor({ cluster: 'bench', sessionId: 'login' })),
        () => sshL(state, '127.0.0.1', loginPort),
      );
      context.note(
        `${RUNS} × ${STREAM_BYTES / MiB} MiB (medians) from a server on the login node: bridge (WebSocket ↔ ssh2 exec channel running socat) vs OpenSSH ssh -L`,
      );
      context.figure({
        name: 'bridge throughput, login-node server',
        value: bridgeRate,
        unit: 'MiB/s',
        baseline: { name: 'ssh -L', value: sshRate },
      });
      context.figure({
        name: 'bridge set-up (WebSocket open → first byte), login-node server',
        value: bridgeSetup,
        unit: 'ms',
        baseline: { name: 'ssh -L connect → first byte', value: sshSetup },
      });
    } finally {
      loginSource.kill();
    }
    // Compute node: a server bound on the node's address (what `direct` and a Strudel user's ssh -L reach).
    const node = state.slurm?.nodes?.[0];
    if (!node) {
      context.note('no compute node in cluster.json: the node-route figures are left out');
      return;
    }
    const nodePort = 20000 + Math.floor(Math.random() * 20000);
    const nodeSource = await startSource(node.address, nodePort, node.netns);
    try {
      nodeTarget = { host: node.address, port: nodePort };
      // CPU per GiB on the workstation: the bridge (this process: ssh2 and the WebSocket side)
      // against the ssh client. Where each hop has a machine of its own, the busiest single
      // process bounds the stream, and on the workstation that is this one.
      const cpu = { bridge: [] as number[], ssh: [] as number[] };
      const [bridgeSetup, bridgeRate, sshSetup, sshRate] = await interleaved(
        async () => {
          const before = process.cpuUsage();
          const result = await drainWebSocket(bridge.urlFor({ cluster: 'bench', sessionId: 'node' }));
          const used = process.cpuUsage(before);
          cpu.bridge.push((used.user + used.system) / 1e6 / (STREAM_BYTES / GiB));
          return result;
        },
        () => sshL(state, node.address, nodePort, cpu.ssh),
      );
      context.note(
        `${RUNS} × ${STREAM_BYTES / MiB} MiB (medians) from a server bound on ${node.name}'s address ${node.address}: bridge with the direct route (direct-tcpip channel) vs ssh -L`,
      );
      context.figure({
        name: 'bridge throughput, direct route',
        value: bridgeRate,
        unit: 'MiB/s',
        baseline: { name: 'ssh -L to the node address', value: sshRate },
        goal: 'ratio ≥ 1.0',
      });
      context.figure({ name: 'set-up time, direct route', value: bridgeSetup, unit: 'ms', baseline: { name: 'ssh -L', value: sshSetup } });
      context.figure({
        name: 'workstation CPU per GiB, direct route (the bridge process)',
        value: median(cpu.bridge),
        unit: 's',
        baseline: { name: 'the ssh -L client', value: median(cpu.ssh) },
      });
    } finally {
      nodeSource.kill();
    }
  } finally {
    await bridge.close();
  }
}

const BENCH_TEMPLATE = join(projectRoot, 'test/cluster/agent/templates/bench-stream');

/**
 * The agent's own routes (docs/architecture.md §5) as a person gets them: a session of the bench-stream
 * template (a byte source on a Unix socket of node01 in place of Xvnc), opened through the app's
 * bridge and LiveCluster.openRelay, first by the default route (`auto`), then by `srun`, each
 * next to ssh -L to the same sender bound on the node's address, in the same run.
 */
async function routeFigures(context: BenchContext, state: TestCluster, bundle: AgentBundle, connection: SshConnection) {
  const node = state.slurm?.nodes?.[0];
  if (!node || bundle.contents.includes('STAND_IN_VERSION')) {
    context.note('the agent routes need a compute node and the real agent (npm run build): their figures are left out');
    return;
  }
  // The route is read once, when `serve` starts: from ~/.porthole/agent.json, which no test leaves behind.
  if ((await connection.run('test -e "$HOME/.porthole/agent.json"')).code === 0)
    throw new Error('~/.porthole/agent.json of the test user exists: the default route would not be the default');
  await connection.run('mkdir -p "$HOME/.porthole/templates"');
  execFileSync('scp', ['-q', '-r', '-F', state.sshConfigFile, BENCH_TEMPLATE, 'porthole-test:.porthole/templates/'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const nodePort = 20000 + Math.floor(Math.random() * 20000);
  const baselineSource = await startSource(node.address, nodePort, node.netns);
  let session: SessionView | undefined;
  try {
    const byRoute = async (route: 'default' | 'srun') => {
      const made = await portholeApp(bundle);
      made.app.bridge.allowPageOrigins([VIEWER_PAGE]);
      made.backend.subscribe((event) => {
        if (event.type === 'prompt' && event.prompt.type === 'hostKey')
          void made.backend.handlers['prompts.answer'](event.prompt.id, { type: 'hostKey', trust: true });
      });
      try {
        await made.backend.handlers['clusters.add']({ name: 'bench', host: 'porthole-test', sshConfigFile: state.sshConfigFile });
        await made.backend.handlers['clusters.connect']('bench');
        if (!session) {
          session = await made.backend.handlers['sessions.launch']('bench', 'bench-stream', { hours: 0.25, mib: STREAM_BYTES / MiB });
          for (let i = 0; i < 600 && session.state !== 'ready' && session.state !== 'ended'; i++) {
            await new Promise((r) => setTimeout(r, 100));
            session = (await made.backend.handlers['sessions.list']('bench')).find((s) => s.id === session!.id) ?? session;
          }
          if (session.state !== 'ready') throw new Error(`the bench-stream session did not get ready: ${JSON.stringify(session)}`);
        }
        // A viewer URL opens one stream: each run asks for its own, as the viewer does.
        const viewerUrl = async () => (await made.backend.handlers['sessions.viewerUrl']('bench', session!.id)).url;
        const results = await interleaved(
          async () => drainWebSocket(await viewerUrl()),
          () => sshL(state, node.address, nodePort),
        );
        // `auto` takes ssh when the node lets the login node in: its SSH master says which it took.
        const took =
          route === 'srun'
            ? 'srun'
            : (await connection.run(`ssh -S "/tmp/porthole-$(id -u)/cm-${node.name}" -O check ${node.name}`)).code === 0
              ? 'ssh'
              : 'srun';
        return { results, took };
      } finally {
        await made.app.stop();
        // The next `serve` must not start while this one still closes its endpoint (the same
        // socket path). `[.]` keeps pgrep's own shell from matching.
        for (
          let i = 0;
          i < 100 && (await connection.run(`pgrep -u "$(id -u)" -f 'agent/${bundle.version}/agent[.]cjs serve'`)).code === 0;
          i++
        )
          await new Promise((r) => setTimeout(r, 100));
      }
    };
    const report = (label: string, [setup, rate, sshSetup, sshRate]: [number, number, number, number], goal?: string) => {
      context.figure({
        name: `bridge throughput, ${label}`,
        value: rate,
        unit: 'MiB/s',
        baseline: { name: 'ssh -L to the node address', value: sshRate },
        goal,
      });
      context.figure({
        name: `set-up time (WebSocket open → first byte), ${label}`,
        value: setup,
        unit: 'ms',
        baseline: { name: 'ssh -L connect → first byte', value: sshSetup },
      });
    };
    const auto = await byRoute('default');
    context.note(
      `${RUNS} × ${STREAM_BYTES / MiB} MiB (medians) from a session's server on a Unix socket of ${node.name} through the agent's relay endpoint, vs ssh -L to the same sender bound on ${node.address}`,
    );
    context.note(`route auto took ${auto.took} (the session was ready, so its endpoint was open before the first stream)`);
    report(`default route (auto → ${auto.took})`, auto.results, 'ratio ≥ 0.7');
    await connection.run(`echo '{"route":"srun"}' > "$HOME/.porthole/agent.json"`);
    try {
      report('srun route', (await byRoute('srun')).results);
    } finally {
      await connection.run('rm -f "$HOME/.porthole/agent.json"');
    }
  } finally {
    if (session) await connection.run(`scancel ${session.jobId}`).catch(() => undefined);
    await connection.run('rm -rf "$HOME/.porthole/templates/bench-stream"').catch(() => undefined);
    baselineSource.kill();
  }
}

/** A server that answers each byte in two writes 2 ms apart, as a desktop server often does. */
const TWO_WRITE_SCRIPT = `require('net').createServer(s=>{s.setNoDelay(true);s.on('error',()=>{});s.on('data',()=>{s.write('A');setTimeout(()=>s.write('B'),2)})}).listen(+process.argv[1],'127.0.0.1',()=>console.log('ready'))`;
const EXCHANGES = 15;

/** Sends a byte, waits for both parts of the answer, EXCHANGES times; gives the median round trip in ms. */
async function twoWriteRoundTrip(stream: Duplex): Promise<number> {
  const times: number[] = [];
  await new Promise<void>((resolve, reject) => {
    let sent = 0;
    let answer = '';
    const ask = () => {
      sent = performance.now();
      answer = '';
      stream.write('x');
    };
    stream.on('error', reject);
    stream.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      if (!answer.includes('B')) return;
      times.push(performance.now() - sent);
      if (times.length < EXCHANGES) setTimeout(ask, 3);
      else resolve();
    });
    ask();
  });
  stream.destroy();
  return median(times);
}

/**
 * Through a jump host (ProxyJump), the round trip of a request whose answer comes in two writes:
 * Porthole's route next to OpenSSH's `ssh -J`. An sshd turns Nagle's algorithm off only once a
 * session starts on the connection; where none does, the second write waits for a delayed ACK.
 */
async function jumpLatencyFigure(context: BenchContext, state: TestCluster) {
  const port = await freePort();
  const server = spawn(process.execPath, ['-e', TWO_WRITE_SCRIPT, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => server.stdout!.once('data', resolve));
  const { connection } = await sshConnection(
    { name: 'bench', host: 'porthole-test-via-jump', sshConfigFile: state.sshConfigFile },
    new Person(trustEveryHostKey),
  );
  try {
    await connection.connect();
    // The app always has its agent running in a session on the login node.
    await connection.run('true');
    const porthole = await twoWriteRoundTrip(await connection.forwardOut('127.0.0.1', port));
    const { local, ssh } = await sshForward(state, 'porthole-test-via-jump', '127.0.0.1', port);
    try {
      const socket = await connectLocal(local);
      const openssh = await twoWriteRoundTrip(socket);
      context.note(
        `${EXCHANGES} exchanges (median) with a server on the login node that answers in two writes 2 ms apart, through the jump host`,
      );
      context.figure({
        name: 'round trip of a two-write answer, through a jump host',
        value: porthole,
        unit: 'ms',
        baseline: { name: 'ssh -J … -N -L', value: openssh },
      });
    } finally {
      ssh.kill('SIGTERM');
    }
  } finally {
    connection.disconnect();
    server.kill();
  }
}

async function reconnectFigure(context: BenchContext, state: TestCluster, bundle: AgentBundle) {
  const times: number[] = [];
  const { connection } = await sshConnection(
    { name: 'bench', host: 'porthole-test', sshConfigFile: state.sshConfigFile },
    new Person(trustEveryHostKey),
  );
  await connection.connect();
  const agent = new AgentChannel(connection, bundle, { cluster: 'bench' });
  connection.on('up', () => void agent.start().catch(() => undefined));
  connection.on('down', (why) => agent.stop(why));
  await agent.start();
  for (let run = 0; run < 5; run += 1) {
    const pid = Number((await connection.run('echo $PPID')).stdout.trim());
    const ready = new Promise<void>((resolve) => agent.once('ready', () => resolve()));
    const dropped = performance.now();
    execFileSync('kill', ['-9', String(pid)]);
    await ready;
    times.push(performance.now() - dropped);
  }
  agent.stop();
  connection.disconnect();
  context.note(`kill -9 of the connection's sshd child → state reconnecting → connected → agent hello; 5 runs; first retry within 200 ms`);
  context.figure({ name: 'reconnect after a drop (to agent ready), median', value: median(times), unit: 'ms' });
}
