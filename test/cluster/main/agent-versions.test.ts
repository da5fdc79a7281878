// Old agent versions in the test user's real ~/.porthole/agent: an upgrade removes the ones left
// behind, never one a running agent uses (touched by a serve anywhere, or run on this login node);
// and the real built agent's serve keeps its own folder touched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { installAgent } from '../../../main/agent/bootstrap';
import type { SshConnection } from '../../../main/ssh/connection';
import { loadTestCluster, projectRoot, sshRun } from '../fixture';
import { sshChannel } from '../agent/agent-harness';
import { Person, sshConnection, standInBundle, trustEveryHostKey } from './harness';

const state = loadTestCluster();
const tag = randomBytes(4).toString('hex');
// Versions of this test's own: other tests' versions in the same folder are younger than an hour.
const versions = { old: `0.0.0-old.${tag}`, busy: `0.0.0-busy.${tag}`, fresh: `0.0.0-fresh.${tag}`, upgrade: `0.0.0-new.${tag}` };
const heartbeatVersion = `0.0.0-heartbeat.${tag}`;
const pids: string[] = [];

after(async () => {
  if (pids.length) await sshRun(`kill ${pids.join(' ')}`);
  const folders = [...Object.values(versions), heartbeatVersion].map((v) => `"$HOME/.porthole/agent/${v}"`);
  await sshRun(`rm -rf ${folders.join(' ')}`);
});

const exists = async (version: string): Promise<boolean> => (await sshRun(`test -d "$HOME/.porthole/agent/${version}"`)).code === 0;

/** An agent folder whose agent.cjs only waits, last touched `ago` (a `touch -d` date). */
async function oldAgent(version: string, ago: string): Promise<void> {
  const made = await sshRun(
    `d="$HOME/.porthole/agent/${version}" && mkdir -p "$d" && echo 'setInterval(() => {}, 1000);' > "$d/agent.cjs" && touch -d '${ago}' "$d"`,
  );
  assert.equal(made.code, 0, made.stderr);
}

async function connected(): Promise<SshConnection> {
  const { connection } = await sshConnection(
    { name: 't', host: 'porthole-test', sshConfigFile: state.sshConfigFile },
    new Person(trustEveryHostKey),
  );
  await connection.connect();
  return connection;
}

test('an upgrade removes the agent versions nothing used for an hour, and keeps the ones in use', async () => {
  await oldAgent(versions.old, '2 hours ago');
  await oldAgent(versions.busy, '2 hours ago');
  await oldAgent(versions.fresh, '5 minutes ago');
  // An agent from before folders were touched, still running on this login node.
  const started = await sshRun(`nohup node "$HOME/.porthole/agent/${versions.busy}/agent.cjs" serve >/dev/null 2>&1 </dev/null & echo $!`);
  pids.push(started.stdout.trim());
  const connection = await connected();
  try {
    const target = { cluster: 't', run: connection.run.bind(connection), sftp: connection.sftp.bind(connection) };
    await installAgent(target, await standInBundle(versions.upgrade));
  } finally {
    connection.disconnect();
  }
  assert.equal(await exists(versions.upgrade), true, 'the new version is in place');
  assert.equal(await exists(versions.old), false, 'the version nothing used for two hours is removed');
  assert.equal(await exists(versions.busy), true, 'the version a process on this login node runs is kept');
  assert.equal(await exists(versions.fresh), true, 'the version a serve touched 5 minutes ago is kept');
});

test('a running serve keeps its own version folder touched', async () => {
  const dir = `$HOME/.porthole/agent/${heartbeatVersion}`;
  assert.equal((await sshRun(`mkdir -p "${dir}" && touch -d '2 hours ago' "${dir}"`)).code, 0);
  const copy = spawnSync(
    'scp',
    ['-q', '-F', state.sshConfigFile, `${projectRoot}/dist/agent.cjs`, `porthole-test:.porthole/agent/${heartbeatVersion}/agent.cjs`],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(copy.status, 0, `scp of dist/agent.cjs (run node build/bundle.mjs first): ${copy.stderr}`);
  await sshRun(`touch -d '2 hours ago' "${dir}"`);
  const serve = sshChannel(`exec node "${dir}/agent.cjs" serve`);
  try {
    const answered = new Promise<void>((resolve) => serve.stdout.once('data', () => resolve()));
    serve.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: {} }) + '\n');
    await answered;
    const age = await sshRun(`echo $(( $(date +%s) - $(stat -c %Y "${dir}") ))`);
    assert.ok(Number(age.stdout.trim()) < 60, `the folder was touched ${age.stdout.trim()} s ago`);
  } finally {
    serve.stdin.end();
    serve.kill('SIGTERM');
  }
});
