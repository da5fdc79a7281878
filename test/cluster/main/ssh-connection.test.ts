// The SSH connection against the test cluster's real sshd: ssh_config aliases, a ProxyJump
// chain, host keys (unknown → asked and remembered; changed → refused), keyboard-interactive.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createServer } from 'node:net';
import type { ClusterConfig } from '../../../main/api';
import { knownHostsLine } from '../../../main/ssh/host-keys';
import { loadTestCluster, tempDir } from '../fixture';
import { Person, portholeApp, sshConnection, standInBundle, trustEveryHostKey } from './harness';
import { startPrivateSshd, type PrivateSshd } from './private-sshd';

const state = loadTestCluster();
const cleanups: (() => void | Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** A jump host: a private sshd that lets the user running the test in with its own key. */
async function jumpHost(extraConfig: string[] = []): Promise<PrivateSshd> {
  const sshd = await startPrivateSshd({ hostKeyTypes: ['ed25519'], extraConfig });
  cleanups.push(sshd.stop);
  return sshd;
}

function jumpConfig(name: string, sshd: PrivateSshd): string[] {
  return [`Host ${name}`, '  HostName 127.0.0.1', `  Port ${sshd.port}`, `  User ${sshd.user}`, `  IdentityFile ${sshd.userKeyFile}`];
}

async function whoami(connection: { run(c: string): Promise<{ stdout: string }> }) {
  return (await connection.run('id -un')).stdout.trim();
}

test('connects through the ssh_config alias of the test cluster', async () => {
  const person = new Person(trustEveryHostKey);
  const { connection } = await sshConnection({ name: 't', host: 'porthole-test', sshConfigFile: state.sshConfigFile }, person, {
    home: tempDir('home'),
  });
  await connection.connect();
  try {
    assert.equal(await whoami(connection), state.ssh.user);
  } finally {
    connection.disconnect();
  }
});

test('connects through a ProxyJump chain of two jump hosts', async () => {
  const jump1 = await jumpHost();
  const jump2 = await jumpHost();
  const sshConfigText = [
    ...jumpConfig('jump-one', jump1),
    ...jumpConfig('jump-two', jump2),
    '  ProxyJump jump-one',
    'Host login-behind-jumps',
    `  HostName ${state.ssh.host}`,
    `  Port ${state.ssh.port}`,
    '  ProxyJump jump-two',
    'Host *',
    `  User ${state.ssh.user}`,
    `  IdentityFile ${state.ssh.identityFile}`,
  ].join('\n');
  const person = new Person(trustEveryHostKey);
  const { connection } = await sshConnection({ name: 't', host: 'login-behind-jumps' }, person, { home: tempDir('home'), sshConfigText });
  await connection.connect();
  try {
    assert.equal(await whoami(connection), state.ssh.user);
    // Each hop's host key was asked for: two jump hosts and the login node.
    assert.deepEqual(
      person.asked.map((p) => p.type === 'hostKey' && p.port),
      [jump1.port, jump2.port, state.ssh.port],
    );
    // The login node saw the connection come from loopback through the jump hosts, not from us directly.
    const via = (await connection.run('echo $SSH_CLIENT')).stdout.trim();
    assert.match(via, /^127\.0\.0\.1 /);
  } finally {
    connection.disconnect();
  }
});

test('connects through a jump host that runs no commands (a bastion whose accounts have no shell)', async () => {
  // Porthole starts a session on each jump host (so its sshd turns Nagle off); here that
  // session only prints nologin's refusal, and the route must go on all the same.
  const bastion = await jumpHost(['ForceCommand /usr/sbin/nologin']);
  const sshConfigText = [
    ...jumpConfig('bastion', bastion),
    'Host login-behind-bastion',
    `  HostName ${state.ssh.host}`,
    `  Port ${state.ssh.port}`,
    '  ProxyJump bastion',
    'Host *',
    `  User ${state.ssh.user}`,
    `  IdentityFile ${state.ssh.identityFile}`,
  ].join('\n');
  const { connection } = await sshConnection({ name: 't', host: 'login-behind-bastion' }, new Person(trustEveryHostKey), {
    home: tempDir('home'),
    sshConfigText,
  });
  await connection.connect();
  try {
    assert.equal(await whoami(connection), state.ssh.user);
  } finally {
    connection.disconnect();
  }
});

test('connects through the fixture’s jump host (ProxyJump in ssh_config)', async () => {
  const person = new Person(trustEveryHostKey);
  const { connection } = await sshConnection({ name: 't', host: 'porthole-test-via-jump', sshConfigFile: state.sshConfigFile }, person, {
    home: tempDir('home'),
  });
  await connection.connect();
  try {
    assert.equal(await whoami(connection), state.ssh.user);
    assert.deepEqual(person.asked, [], 'both host keys were found in the UserKnownHostsFile of ssh_config');
  } finally {
    connection.disconnect();
  }
});

test('an unknown host key is shown as SHA256 and asked; once trusted it is remembered', async () => {
  const config: ClusterConfig = {
    name: 't',
    host: state.ssh.host,
    port: state.ssh.port,
    user: state.ssh.user,
    identityFile: state.ssh.identityFile,
  };
  const person = new Person(trustEveryHostKey);
  const first = await sshConnection(config, person, { home: tempDir('home') });
  await first.connection.connect();
  first.connection.disconnect();
  assert.equal(person.asked.length, 1);
  const prompt = person.asked[0];
  assert.equal(prompt.type, 'hostKey');
  assert.equal(prompt.type === 'hostKey' && prompt.fingerprint, state.ssh.hostKeyFingerprint);
  const again = await sshConnection(config, person, { home: first.home });
  await again.connection.connect();
  again.connection.disconnect();
  assert.equal(person.asked.length, 1, 'the second connection asked nothing');
});

test('declining an unknown host key does not connect', async () => {
  const person = new Person((p) => (p.type === 'hostKey' ? { type: 'hostKey', trust: false } : null));
  const { connection } = await sshConnection(
    { name: 't', host: state.ssh.host, port: state.ssh.port, user: state.ssh.user, identityFile: state.ssh.identityFile },
    person,
    { home: tempDir('home') },
  );
  await assert.rejects(connection.connect(), /did not trust the host key/);
  assert.equal(connection.state.status, 'failed');
});

test('a changed host key is refused with a warning, and no answer from the UI lets it through', async () => {
  const ownHome = tempDir('home');
  const otherKey = join(ownHome, 'other');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
  const blob = Buffer.from(readFileSync(`${otherKey}.pub`, 'utf8').split(' ')[1], 'base64');
  await writeFile(join(ownHome, 'porthole_known_hosts'), knownHostsLine(state.ssh.host, state.ssh.port, blob));
  // The person would say yes to anything: it must not matter.
  const person = new Person((p) =>
    p.type === 'hostKey' ? { type: 'hostKey', trust: true } : p.type === 'hostKeyChanged' ? { type: 'hostKeyChanged' } : null,
  );
  const { connection } = await sshConnection(
    { name: 't', host: state.ssh.host, port: state.ssh.port, user: state.ssh.user, identityFile: state.ssh.identityFile },
    person,
    { home: ownHome },
  );
  await assert.rejects(connection.connect(), /WARNING: the host key of .* has changed/);
  assert.equal(connection.state.status, 'failed');
  assert.deepEqual(
    person.asked.map((p) => p.type),
    ['hostKeyChanged'],
  );
  const shown = person.asked[0];
  assert.equal(shown.type === 'hostKeyChanged' && shown.fingerprint, state.ssh.hostKeyFingerprint);
});

test('keyboard-interactive prompts reach the Api with the server’s text and are answered there', async () => {
  const kbd = state.keyboardInteractive!;
  const { app, backend, home: appHome } = await portholeApp(await standInBundle());
  cleanups.push(async () => {
    await app.stop();
    await rm(dirname(appHome), { recursive: true, force: true });
  });
  const seen: string[] = [];
  backend.subscribe((event) => {
    if (event.type !== 'prompt') return;
    const { prompt } = event;
    if (prompt.type === 'hostKey') void backend.handlers['prompts.answer'](prompt.id, { type: 'hostKey', trust: true });
    if (prompt.type === 'keyboardInteractive') {
      seen.push(...prompt.prompts.map((p) => p.prompt));
      const responses = kbd.responses ?? prompt.prompts.map(() => kbd.password ?? '');
      void backend.handlers['prompts.answer'](prompt.id, { type: 'keyboardInteractive', responses });
    }
  });
  await backend.handlers['clusters.add']({
    name: 'kbd',
    host: state.ssh.host,
    port: state.ssh.port,
    user: kbd.user,
    sshConfigFile: '/dev/null',
  });
  const live = await app.cluster('kbd');
  await live.connection.connect();
  try {
    assert.ok(seen.length > 0, 'a keyboard-interactive question was shown');
    assert.equal((await live.connection.run('id -un')).stdout.trim(), kbd.user);
  } finally {
    // Connecting also installs the (stand-in) agent in that user's home: leave nothing behind.
    await live.connection.run('rm -rf "$HOME/.porthole/agent/0.0.1-test"').catch(() => undefined);
    app.dropCluster('kbd');
  }
});

test('a new cluster behind a jump host stops at once when the jump host cannot resolve the login node or meets a refused port', async () => {
  const fixtureConfig = readFileSync(state.sshConfigFile, 'utf8');
  const behindJump = (alias: string, hostName: string, port: number) =>
    [`Host ${alias}`, `  HostName ${hostName}`, `  Port ${port}`, `  User ${state.ssh.user}`, '  ProxyJump porthole-test-jump'].join('\n');
  const sshConfigText = [
    behindJump('typo-behind-jump', 'no-such-host.invalid', 22),
    behindJump('closed-behind-jump', '127.0.0.1', 1),
    fixtureConfig,
  ].join('\n');
  const cases = [
    { host: 'typo-behind-jump', reason: /'no-such-host\.invalid' does not resolve from the jump host porthole-test-jump.*Host for a typo/ },
    { host: 'closed-behind-jump', reason: /127\.0\.0\.1:1 refused the connection from the jump host porthole-test-jump.*Host and Port/ },
  ];
  for (const { host, reason } of cases) {
    const { connection } = await sshConnection({ name: host, host }, new Person(trustEveryHostKey), {
      home: tempDir('home'),
      sshConfigText,
    });
    const states: string[] = [];
    connection.on('state', (s: { status: string }) => states.push(s.status));
    await assert.rejects(connection.connect(), reason);
    assert.equal(connection.state.status, 'failed');
    assert.ok(!states.includes('reconnecting'), `${host}: no retry is scheduled (${states.join(', ')})`);
    connection.disconnect();
  }
});

test('a login node name with several addresses is one login node per address: a hung one is passed over for one that greets', async () => {
  const sshd = await jumpHost();
  // The name's first address is a hung login node: its kernel accepts on the same port, its sshd never greets.
  const hung = createServer((socket) => {
    socket.on('error', () => undefined);
    cleanups.push(() => void socket.destroy());
  });
  await new Promise<void>((resolve) => hung.listen(sshd.port, '127.0.0.2', resolve));
  cleanups.push(() => void hung.close());
  const looked: string[] = [];
  const lookupAll = async (name: string) => {
    looked.push(name);
    return name === 'logins.pool.test' ? [{ address: '127.0.0.2' }, { address: '127.0.0.1' }] : [];
  };
  const sshConfigText = [
    'Host pool',
    '  HostName logins.pool.test',
    `  Port ${sshd.port}`,
    `  User ${sshd.user}`,
    `  IdentityFile ${sshd.userKeyFile}`,
  ].join('\n');
  const { connection } = await sshConnection({ name: 'pool', host: 'pool' }, new Person(trustEveryHostKey), {
    home: tempDir('home'),
    sshConfigText,
    lookupAll,
  });
  await connection.connect();
  try {
    assert.deepEqual(looked, ['logins.pool.test']);
    assert.equal(await whoami(connection), sshd.user);
    assert.equal(connection.state.loginNode, 'pool (127.0.0.1)', 'the state names the address it is on');
  } finally {
    connection.disconnect();
  }
});
