// The moonlight-desktop template on the real test cluster: a native job on the gpu partition
// (fake gres gpu:fake:1) whose `sunshine` is the FAKE Sunshine (test/fakes/fake-sunshine.mjs,
// put first on the job's PATH), through to `ready` with its connection, reached from this
// workstation at the node's address; its web UI refuses whatever does not come from the node's
// loopback; then Open through the app, with the FAKE Moonlight client, pairing through the
// agent's relay to that loopback over the cluster's SSH connection.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DoctorCheck, RelayEndpoint, Session, SessionConnection } from '../../../agent/protocol';
import { configPaths } from '../../../main/config/paths';
import { checkReachable } from '../../../main/moonlight/reachability';
import { sunshineWebApi } from '../../../main/moonlight/sunshine-web-api';
import { PortholeApp } from '../../../main/porthole-app';
import { fakeMoonlightOnPath } from '../../fakes/moonlight-fakes';
import { loadTestCluster, sshRun, tempDir } from '../fixture';
import { realBundle } from '../main/harness';
import {
  AGENT_VERSION,
  agent,
  agentJson,
  cancelAll,
  installAgent,
  installFakeSunshine,
  serveChannel,
  waitForSession,
} from './agent-harness';

const cluster = loadTestCluster();
const fakesBin = `${cluster.ssh.home}/.porthole-test-fakes/bin`;
// The job inherits the agent's environment (sbatch --export=ALL): the fake Sunshine comes first.
const jobEnv = { PATH: `${fakesBin}:/usr/local/bin:/usr/bin:/bin` };
const node = cluster.slurm.nodes[0];

describe('moonlight-desktop on the test cluster', () => {
  const started: (Session | undefined)[] = [];
  let session: Session;
  let connection: Extract<SessionConnection, { kind: 'sunshine' }>;

  before(async () => {
    installAgent();
    await installFakeSunshine(fakesBin);
  });

  after(() => cancelAll(started));

  it('doctor checks NVENC and /dev/uinput on a node of the GPU partition', { timeout: 90_000 }, async () => {
    const checks = await agentJson<DoctorCheck[]>(['doctor']);
    const byName = new Map(checks.map((check) => [check.name, check]));
    assert.equal(byName.get('gpu node'), undefined, `the check could not run on the GPU partition: ${byName.get('gpu node')?.message}`);
    assert.equal(byName.get('nvenc')?.status, 'warn');
    assert.match(byName.get('nvenc')?.message ?? '', /nvidia-smi does not run on node01 \(gpu\): no NVIDIA driver, so no NVENC/);
    assert.equal(byName.get('uinput')?.status, 'warn');
    assert.match(byName.get('uinput')?.message ?? '', /\/dev\/uinput on node01 \(gpu\) is missing/);
  });

  it('becomes ready on a GPU node with connection {kind: "sunshine", host, portBase}', { timeout: 120_000 }, async () => {
    session = await agentJson<Session>(
      [
        'sessions.launch',
        'moonlight-desktop',
        '--param',
        'partition=gpu',
        '--param',
        'runtime=native',
        '--param',
        'hours=0.25',
        '--param',
        'cpus=1',
        '--param',
        'memoryGb=0.5',
      ],
      { env: jobEnv },
    );
    started.push(session);
    const ready = await waitForSession(session.id, (s) => s.state === 'ready' || s.state === 'ended', 90_000);
    assert.equal(ready.state, 'ready', JSON.stringify(ready));
    assert.equal(ready.node, node.name);
    const job = await sshRun(`scontrol show job ${session.jobId}`);
    assert.match(job.stdout, /Partition=gpu/);
    assert.match(job.stdout, /gres[/:]gpu[:=](fake:)?1/);

    const shown = await agentJson<SessionConnection>(['sessions.connection', session.id]);
    assert.equal(shown.kind, 'sunshine');
    if (shown.kind !== 'sunshine') return;
    assert.deepEqual(Object.keys(shown).sort(), ['certSha256', 'host', 'kind', 'node', 'portBase'], 'no secret without --with-secret');
    assert.equal(shown.host, node.address);
    assert.equal(shown.node, node.name);
    // The certificate Sunshine made on the shared home, as openssl sees it there.
    const fingerprint = await sshRun(`openssl x509 -in .porthole/sunshine/${node.name}/sunshine-cert.pem -noout -fingerprint -sha256`);
    assert.equal(
      shown.certSha256,
      fingerprint.stdout.split('=')[1]?.trim().replace(/:/g, '').toLowerCase(),
      fingerprint.stdout + fingerprint.stderr,
    );
    connection = await agentJson<typeof connection>(['sessions.connection', session.id, '--with-secret']);
    assert.ok(connection.username && connection.password && connection.password.length >= 20);
  });

  it("writes a sunshine.conf that requires stream encryption and keeps the web UI to the node's loopback", async () => {
    assert.ok(connection, 'the session did not become ready');
    const conf = await sshRun(`cat .porthole/sessions/${session.id}/sunshine.conf`);
    assert.match(conf.stdout, /^lan_encryption_mode = 2$/m);
    assert.match(conf.stdout, /^wan_encryption_mode = 2$/m);
    assert.match(conf.stdout, /^origin_web_ui_allowed = pc$/m);
    assert.doesNotMatch(conf.stdout, /^bind_address/m, 'Sunshine bound one address: its web UI is then not on the loopback');
    const logs = await agentJson<{ text: string }>(['sessions.logs', session.id, '--lines', '1000']);
    assert.match(logs.text, /fake sunshine: stream encryption: lan_encryption_mode 2, wan_encryption_mode 2; web UI for pc/);
  });

  it("refuses, with the session's own credentials, a web-UI request made to the node's address", async () => {
    assert.ok(connection?.certSha256, 'the session did not become ready');
    // What main did before: a stream from the login node to the node's address, port base + 1.
    const toNodeAddress = sunshineWebApi({
      openStream: () =>
        new Promise((resolve, reject) => {
          const socket = connect(connection.portBase + 1, connection.host, () => resolve(socket));
          socket.once('error', reject);
        }),
      node: connection.node,
      username: connection.username!,
      password: connection.password!,
      certSha256: connection.certSha256,
    });
    await assert.rejects(
      toNodeAddress.postPin('1234', 'intruder'),
      /Sunshine on node01 refused POST \/api\/pin \(HTTP 403\): its web UI answers only the node's own loopback/,
    );
    const logs = await agentJson<{ text: string }>(['sessions.logs', session.id, '--lines', '1000']);
    assert.match(
      logs.text,
      /fake sunshine: web UI: denied POST \/api\/pin from (::ffff:)?198\.51\.100\.\d+ \(origin_web_ui_allowed = pc\)/,
    );
  });

  // Every route ends on the node's loopback; `direct`, which reaches only the node's address, uses srun for it.
  for (const route of ['ssh', 'srun', 'direct']) {
    it(`reaches the web UI on the node's loopback through the endpoint serve keeps, route ${route}`, { timeout: 60_000 }, async () => {
      assert.ok(connection?.certSha256, 'the session did not become ready');
      const serve = serveChannel({ PORTHOLE_ROUTE: route });
      try {
        const answer = await serve.call('sessions.sunshineWebUi', { id: session.id });
        assert.equal(answer.error, undefined, JSON.stringify(answer.error));
        const endpoint = answer.result as RelayEndpoint;
        assert.ok('socket' in endpoint, `a web-UI endpoint that is not a socket on the login node: ${JSON.stringify(endpoint)}`);
        // Main opens this socket through SSH's streamlocal forwarding; the test, root on the login side, opens it directly.
        const webApi = sunshineWebApi({
          openStream: () =>
            new Promise((resolve, reject) => {
              const socket = connect(endpoint.socket, () => resolve(socket));
              socket.once('error', reject);
            }),
          node: connection.node,
          username: connection.username!,
          password: connection.password!,
          certSha256: connection.certSha256,
        });
        const fromLoopback = async () =>
          (
            (await agentJson<{ text: string }>(['sessions.logs', session.id, '--lines', '1000'])).text.match(
              /fake sunshine: web UI: GET \/api\/clients\/list from (::ffff:)?127\.0\.0\.1$/gm,
            ) ?? []
          ).length;
        const before = await fromLoopback();
        assert.ok(Array.isArray(await webApi.listClients()));
        assert.equal(await fromLoopback(), before + 1, 'the request did not reach Sunshine from its loopback');
      } finally {
        await serve.close();
      }
    });
  }

  it('answers from this workstation at the node address; a port with nothing on it is said to be unreachable', async () => {
    assert.ok(connection, 'the session did not become ready');
    await checkReachable({ node: connection.node, host: connection.host, port: connection.portBase });
    await assert.rejects(
      checkReachable({ node: connection.node, host: connection.host, port: connection.portBase + 2 }),
      new RegExp(`Node ${node.name} \\(${node.address.replace(/\./g, '\\.')}\\) is not reachable from this network`),
    );
  });

  it('keeps the Sunshine credentials in 0600 files and out of every argv and log', async () => {
    assert.ok(connection, 'the session did not become ready');
    const dir = `.porthole/sessions/${session.id}`;
    const modes = await sshRun(`stat -c '%n %a' ${dir} ${dir}/sunshine-credentials ${dir}/sunshine-web-credentials.json`);
    assert.deepEqual(
      modes.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[1]),
      ['700', '600', '600'],
      modes.stdout,
    );
    // The node shares this machine's process table: every process's arguments, the job's included.
    const argv = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
    assert.ok(argv.includes(`${dir}/sunshine.conf`), 'the fake Sunshine of the job is not running');
    assert.ok(!argv.includes(connection.password!), 'the Sunshine password is in a process argument');
    const logs = await agentJson<{ text: string }>(['sessions.logs', session.id, '--lines', '1000']);
    assert.match(logs.text, /Sunshine ready on 198\.51\.100\.\d+ port base \d+ of node01/);
    assert.ok(!logs.text.includes(connection.password!), 'the Sunshine password is in the job log');
    const agentOutput = await agent(['sessions.show', session.id]);
    assert.ok(!agentOutput.stdout.includes(connection.password!) && !agentOutput.stderr.includes(connection.password!));
  });

  it(
    'opens in Moonlight from the app: the session is listed as sunshine, paired through SSH, then streamed',
    { timeout: 120_000 },
    async () => {
      assert.ok(connection, 'the session did not become ready');
      const bundle = await realBundle(AGENT_VERSION);
      const moonlight = fakeMoonlightOnPath();
      const root = tempDir('moonlight-app');

      const app = new PortholeApp({
        paths: configPaths(join(root, 'config')),
        home: join(root, 'home'),
        localUser: 'nobody',
        env: moonlight.env,
        bundle,
        globalKnownHostsFiles: [],
      });
      await app.start();
      try {
        const backend = app.backend();
        backend.subscribe((event) => {
          if (event.type === 'prompt' && event.prompt.type === 'hostKey')
            void backend.handlers['prompts.answer'](event.prompt.id, { type: 'hostKey', trust: true });
        });
        await backend.handlers['clusters.add']({ name: 'test', host: 'porthole-test', sshConfigFile: cluster.sshConfigFile });
        const listed = (await backend.handlers['sessions.list']('test')).find((s) => s.id === session.id);
        assert.equal(listed?.kind, 'sunshine');
        assert.equal(listed?.templateName, 'GPU desktop (Moonlight)');

        const opened = await backend.handlers['viewer.openMoonlight']('test', session.id);
        assert.deepEqual(opened, { node: node.name, host: node.address, portBase: connection.portBase, paired: 'now' });
        const stream = await moonlight.waitForCall('stream');
        assert.deepEqual(stream.argv, ['stream', `${node.address}:${connection.portBase}`, 'Desktop']);
        const logs = await agentJson<{ text: string }>(['sessions.logs', session.id, '--lines', '1000']);
        assert.match(
          logs.text,
          /fake sunshine: web UI: POST \/api\/pin from (::ffff:)?127\.0\.0\.1\n.*PIN given to the pairing of uniqueid [^;]*; pairing done/,
          'the PIN did not reach Sunshine through its loopback',
        );
        const again = await backend.handlers['viewer.openMoonlight']('test', session.id);
        assert.equal(again.paired, 'already');
        await assert.rejects(backend.handlers['sessions.viewerUrl']('test', session.id), /is a Moonlight desktop: open it with Moonlight/);
      } finally {
        await app.stop();
        moonlight.remove();
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
