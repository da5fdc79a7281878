// The Node.js runtime for login nodes without Node, against the test cluster's user
// whose SSH sessions have no `node`: the first connect uploads it (its progress reaching the Api
// as connection state) and the agent answers on it; the next connect uploads nothing; a damaged
// runtime is found and replaced; two app instances uploading at once both end with a whole one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ConnectionState } from '../../../main/api';
import type { AgentBundle } from '../../../main/agent/bootstrap';
import { loadRuntimeCatalog, type NodeRuntimeCatalog } from '../../../main/agent/node-runtimes';
import type { RuntimeInstallResult } from '../../../main/agent/node-runtime-install';
import { loadTestCluster } from '../fixture';
import { portholeApp, projectRoot, realBundle } from './harness';

const { noNode } = loadTestCluster();
const runtimesDir = join(projectRoot, 'dist/runtimes');
let catalog: NodeRuntimeCatalog | null = null;
let bundle: AgentBundle | null = null;

before(async () => {
  catalog = await loadRuntimeCatalog(runtimesDir);
  bundle = await realBundle(`0.0.0-test.${randomBytes(4).toString('hex')}`);
});

after(() => {
  if (bundle) run(`rm -rf "$HOME/.porthole/agent/${bundle.version}"`);
});

/** One app instance connecting to the no-Node login node, with what it saw on the way. */
async function connectWithoutNode() {
  assert.ok(catalog, `no Node.js runtimes in ${runtimesDir}: run npm run build`);
  assert.ok(bundle, 'no dist/agent.cjs: run npm run build');
  const { app, backend } = await portholeApp(bundle, catalog);
  const states: ConnectionState[] = [];
  backend.subscribe((event) => {
    if (event.type === 'prompt' && event.prompt.type === 'hostKey')
      void backend.handlers['prompts.answer'](event.prompt.id, { type: 'hostKey', trust: true });
    if (event.type === 'connection') states.push(event.state);
  });
  await backend.handlers['clusters.add']({ name: 'no-node', host: noNode.sshHost, sshConfigFile: noNode.sshConfigFile });
  const runtime = await app.cluster('no-node');
  const installs: RuntimeInstallResult[] = [];
  runtime.agent.on('runtimeInstalled', (result) => installs.push(result));
  const connect = () => backend.handlers['clusters.connect']('no-node');
  return { app, runtime, states, installs, connect, stop: () => app.stop() };
}

/** A command as the no-Node user, through OpenSSH as a person would type it. */
function run(command: string): string {
  return execFileSync('ssh', ['-F', noNode.sshConfigFile, noNode.sshHost, command], { encoding: 'utf8', timeout: 60_000 }).trim();
}

function withoutRuntime(): void {
  run('rm -rf "$HOME/.porthole/runtime"');
}

test('the first connect to a login node without Node uploads Node.js, shows the upload, and the agent answers on it', async () => {
  withoutRuntime();
  const first = await connectWithoutNode();
  const connected = await first.connect();
  assert.equal(connected.status, 'connected');
  assert.equal(first.runtime.hello?.nodeVersion, `v${catalog!.nodeVersion}`);
  assert.equal(first.runtime.hello?.user, noNode.user);
  assert.deepEqual(
    first.installs.map((i) => i.action),
    ['uploaded'],
  );
  const uploading = first.states.filter((s) => s.status === 'connecting' && s.progress);
  assert.ok(uploading.length >= 2, `the upload was shown as it went (${uploading.length} progress states)`);
  const last = uploading.at(-1)!.progress!;
  assert.equal(last.doneBytes, last.totalBytes, 'the last progress state is the whole archive');
  assert.match(uploading[0].reason ?? '', /uploading Node\.js .* to the login node/);
  assert.equal(first.states.at(-1)?.progress, undefined, 'progress is gone once connected');
  assert.equal(run('ls -A "$HOME/.porthole/runtime"'), `${catalog!.nodeVersion}\nbin`, 'no temporary file is left');
  assert.equal(run('readlink "$HOME/.porthole/runtime/bin"'), `${catalog!.nodeVersion}/bin`);
  await first.stop();
});

test('a second connect uses the runtime that is there and uploads nothing', async () => {
  const second = await connectWithoutNode();
  assert.equal((await second.connect()).status, 'connected');
  assert.deepEqual(second.installs, []);
  assert.ok(
    second.states.every((s) => !s.progress),
    'no upload progress was shown',
  );
  assert.equal(second.runtime.hello?.nodeVersion, `v${catalog!.nodeVersion}`);
  await second.stop();
});

test('a damaged runtime on the login node is found and replaced', async () => {
  const node = `"$HOME/.porthole/runtime/${catalog!.nodeVersion}/bin/node"`;
  // A copy with its ELF header zeroed, renamed over the runtime's node (a running node keeps
  // its file busy): still there, the right size, and it does not run.
  run(`cp ${node} ${node}.bad && dd if=/dev/zero of=${node}.bad bs=4096 count=1 conv=notrunc status=none && mv ${node}.bad ${node}`);
  const repair = await connectWithoutNode();
  assert.equal((await repair.connect()).status, 'connected');
  assert.deepEqual(
    repair.installs.map((i) => i.action),
    ['uploaded'],
  );
  const expected = catalog!.forMachine(run('uname -m'))!.nodeSha256;
  assert.equal(run(`sha256sum ${node}`).slice(0, 64), expected);
  assert.equal(run('ls -A "$HOME/.porthole/runtime"'), `${catalog!.nodeVersion}\nbin`);
  await repair.stop();
});

test('a whole runtime whose PATH link was removed is linked again without an upload', async () => {
  run('rm "$HOME/.porthole/runtime/bin"');
  const again = await connectWithoutNode();
  assert.equal((await again.connect()).status, 'connected');
  assert.deepEqual(
    again.installs.map((i) => i.action),
    ['relinked'],
  );
  await again.stop();
});

test('two app instances connecting at once to a login node without Node both end with a whole runtime', async () => {
  withoutRuntime();
  const [a, b] = await Promise.all([connectWithoutNode(), connectWithoutNode()]);
  const connected = await Promise.all([a.connect(), b.connect()]);
  assert.deepEqual(
    connected.map((s) => s.status),
    ['connected', 'connected'],
  );
  assert.ok(a.installs.length + b.installs.length >= 1);
  const expected = catalog!.forMachine(run('uname -m'))!.nodeSha256;
  assert.equal(run(`sha256sum "$HOME/.porthole/runtime/${catalog!.nodeVersion}/bin/node"`).slice(0, 64), expected);
  assert.equal(run('ls -A "$HOME/.porthole/runtime"'), `${catalog!.nodeVersion}\nbin`);
  await Promise.all([a.stop(), b.stop()]);
});
