// Viewer-stream throughput through the bridge next to OpenSSH `ssh -L` in the same run (median of
// RUNS alternating runs each), and the set-up time of each route: a server on the login node, the
// `direct` route to node01's address, and the agent's own routes (default, srun) to a session.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { SshConnection } from '../../main/ssh/connection';
import type { SessionView } from '../../main/api';
import { ViewerBridge } from '../../main/viewer-bridge/bridge';
import type { AgentBundle } from '../../main/agent/bootstrap';
import { loadTestCluster, type TestCluster } from '../cluster/fixture';
import { freePort, Person, portholeApp, projectRoot, realBundle, sshConnection, trustEveryHostKey } from '../cluster/main/harness';
import { median, type Bench, type BenchContext } from './figures';
import { drainWebSocket, interleaved, MiB, RUNS, sshCryptoKind, sshL, startSource, STREAM_BYTES, VIEWER_PAGE } from './stream-probes';

const GiB = 1024 * MiB;

const bench: Bench = async (context) => {
  const state = loadTestCluster();
  const bundle = await realBundle(`0.0.0-bench`);
  const { connection } = await sshConnection(
    { name: 'bench', host: 'porthole-test', sshConfigFile: state.sshConfigFile },
    new Person(trustEveryHostKey),
  );
  await connection.connect();
  try {
    await throughputFigures(context, state, connection);
    await routeFigures(context, state, bundle, connection);
  } finally {
    await connection.run(`rm -rf "$HOME/.porthole/agent/0.0.0-bench"`).catch(() => undefined);
    connection.disconnect();
  }
};
export default bench;

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
        // `auto` takes ssh when the node lets the login node in: this serve's SSH master (its
        // control path ends in the serve's process id) says which it took.
        const masterOfServe = `for pid in $(pgrep -u "$(id -u)" -f 'agent/${bundle.version}/agent[.]cjs serve'); do ssh -S "/tmp/porthole-$(id -u)/cm-${node.name}-$pid" -O check ${node.name} 2>/dev/null && exit 0; done; exit 1`;
        const took = route === 'srun' ? 'srun' : (await connection.run(masterOfServe)).code === 0 ? 'ssh' : 'srun';
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
    report(`default route (auto → ${auto.took})`, auto.results, 'ratio ≥ 0.8');
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
