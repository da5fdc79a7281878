// Agent bootstrap against the test cluster: uploaded once, not again on reconnect, replaced
// when the build changes, safe with two app instances at once, restarted when it dies.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { installAgent, type AgentBundle } from '../../../main/agent/bootstrap';
import { AgentChannel } from '../../../main/agent/agent-channel';
import { loadTestCluster } from '../fixture';
import { Person, sshConnection, standInBundle, trustEveryHostKey } from './harness';

const state = loadTestCluster();
const versions: string[] = [];
const config = () => ({ name: 't', host: 'porthole-test', sshConfigFile: state.sshConfigFile });

/** A version of our own, so the test starts from nothing on the login node. */
function freshVersion(): string {
  const version = `0.0.0-test.${randomBytes(4).toString('hex')}`;
  versions.push(version);
  return version;
}

async function connectedAgent(bundle: AgentBundle) {
  const { connection } = await sshConnection(config(), new Person(trustEveryHostKey));
  await connection.connect();
  const agent = new AgentChannel(connection, bundle, { cluster: 't' });
  let installs = 0;
  agent.on('installed', () => (installs += 1));
  return { connection, agent, installs: () => installs };
}

after(async () => {
  if (versions.length === 0) return;
  const { connection } = await sshConnection(config(), new Person(trustEveryHostKey));
  await connection.connect();
  await connection.run(`rm -rf ${versions.map((v) => `"$HOME/.porthole/agent/${v}"`).join(' ')}`);
  connection.disconnect();
});

test('the agent is uploaded once, and not again on reconnect', async () => {
  const bundle = await standInBundle(freshVersion());
  const first = await connectedAgent(bundle);
  assert.equal((await first.agent.start()).agentVersion, 'stand-in-1');
  assert.equal(first.installs(), 1);
  first.agent.stop();
  first.connection.disconnect();
  const second = await connectedAgent(bundle);
  await second.agent.start();
  assert.equal(second.installs(), 0, 'the installed agent was reused');
  const listing = await second.connection.run(`ls -A "$HOME/.porthole/agent/${bundle.version}"`);
  assert.equal(listing.stdout.trim(), 'agent.cjs', 'no temporary file is left');
  const mode = await second.connection.run(`stat -c %a "$HOME/.porthole/agent/${bundle.version}"`);
  assert.equal(mode.stdout.trim(), '700');
  second.agent.stop();
  second.connection.disconnect();
});

test('a changed build of the same version, or a new version, replaces the agent', async () => {
  const version = freshVersion();
  const one = await connectedAgent(await standInBundle(version, 'build-a'));
  assert.equal((await one.agent.start()).agentVersion, 'build-a');
  one.agent.stop();
  one.connection.disconnect();
  const two = await connectedAgent(await standInBundle(version, 'build-b'));
  assert.equal((await two.agent.start()).agentVersion, 'build-b');
  assert.equal(two.installs(), 1);
  two.agent.stop();
  two.connection.disconnect();
  const three = await connectedAgent(await standInBundle(freshVersion(), 'build-c'));
  assert.equal((await three.agent.start()).agentVersion, 'build-c');
  assert.equal(three.installs(), 1);
  three.agent.stop();
  three.connection.disconnect();
});

test('two app instances uploading at once both end with a whole, correct agent', async () => {
  const bundle = await standInBundle(freshVersion(), 'concurrent');
  const [a, b] = await Promise.all([connectedAgent(bundle), connectedAgent(bundle)]);
  // Both upload at the same moment, several times over (the race two instances can run into).
  const target = (x: typeof a) => ({
    cluster: 't',
    run: (c: string, t?: number) => x.connection.run(c, t),
    sftp: () => x.connection.sftp(),
  });
  for (let round = 0; round < 5; round += 1) await Promise.all([installAgent(target(a), bundle), installAgent(target(b), bundle)]);
  const hellos = await Promise.all([a.agent.start(), b.agent.start()]);
  assert.deepEqual(
    hellos.map((h) => h.agentVersion),
    ['concurrent', 'concurrent'],
  );
  assert.equal(a.installs() + b.installs(), 0, 'the agents found the uploaded file whole');
  const sum = await a.connection.run(`sha256sum "$HOME/.porthole/agent/${bundle.version}/agent.cjs"`);
  assert.equal(sum.stdout.slice(0, 64), bundle.hash);
  const listing = await a.connection.run(`ls -A "$HOME/.porthole/agent/${bundle.version}"`);
  assert.equal(listing.stdout.trim(), 'agent.cjs');
  for (const x of [a, b]) {
    x.agent.stop();
    x.connection.disconnect();
  }
});

test('an agent that dies is started again, and calls fail meanwhile instead of answering stale', async () => {
  const bundle = await standInBundle(freshVersion());
  const { connection, agent } = await connectedAgent(bundle);
  const hello = (await agent.start()) as unknown as { pid: number };
  const statuses: string[] = [];
  agent.on('status', (status) => statuses.push(status));
  const ready = new Promise<unknown>((resolve) => agent.once('ready', resolve));
  await connection.run(`kill -9 ${hello.pid}`);
  const restarted = (await ready) as { pid: number };
  assert.notEqual(restarted.pid, hello.pid);
  assert.equal(statuses[0], 'restarting');
  assert.equal(statuses.at(-1), 'ready');
  assert.deepEqual(await agent.call('sessions.list', {}), []);
  agent.stop();
  connection.disconnect();
});
