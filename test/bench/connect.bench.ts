// Connection figures: connect → agent hello with the agent installed (goal ≤ 300 ms), the round
// trip of a two-write answer through a jump host next to OpenSSH, and the time to come back after
// a dropped connection.
import { spawn, execFileSync } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { AgentChannel } from '../../main/agent/agent-channel';
import type { AgentBundle } from '../../main/agent/bootstrap';
import { loadTestCluster, type TestCluster } from '../cluster/fixture';
import { freePort, Person, realBundle, sshConnection, trustEveryHostKey } from '../cluster/main/harness';
import { median, type Bench, type BenchContext } from './figures';
import { connectLocal, sshForward } from './stream-probes';

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
