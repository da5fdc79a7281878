import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJump, resolveRoute } from '../../../main/ssh/config';

const sshConfigText = `
Host hpc
  HostName login.hpc.example.org
  User alice
  Port 2222
  IdentityFile ~/.ssh/hpc_ed25519
  IdentityFile %d/.ssh/second
  ProxyJump gateway
  ServerAliveInterval 30

Host gateway
  HostName gw.example.org
  User gwuser
  ProxyJump bastion

Host bastion
  HostName 203.0.113.9
  IdentityAgent ~/.agent.sock

Host nokeys
  IdentityAgent none
  UserKnownHostsFile ~/.ssh/extra_known_hosts

Host *
  User fallback
`;

const context = { sshConfigText, home: '/home/me', localUser: 'me', env: { SSH_AUTH_SOCK: '/tmp/agent.sock' } };

test('an alias resolves to its HostName, User, Port, IdentityFile and keepalive', () => {
  const { target } = resolveRoute({ name: 'c', host: 'hpc' }, context);
  assert.equal(target.hostName, 'login.hpc.example.org');
  assert.equal(target.user, 'alice');
  assert.equal(target.port, 2222);
  assert.deepEqual(target.identityFiles, ['/home/me/.ssh/hpc_ed25519', '/home/me/.ssh/second']);
  assert.equal(target.identityFilesExplicit, true);
  assert.equal(target.serverAliveIntervalSeconds, 30);
  assert.equal(target.identityAgent, '/tmp/agent.sock');
});

test('values given in Porthole win over ssh_config, like ssh command-line options', () => {
  const { target } = resolveRoute({ name: 'c', host: 'hpc', user: 'bob', port: 22, identityFile: '/keys/k' }, context);
  assert.equal(target.user, 'bob');
  assert.equal(target.port, 22);
  assert.equal(target.identityFiles[0], '/keys/k');
});

test('ProxyJump chains are followed, the first jump host’s own ProxyJump first', () => {
  const { jumps, target } = resolveRoute({ name: 'c', host: 'hpc' }, context);
  assert.deepEqual(
    jumps.map((j) => j.hostName),
    ['203.0.113.9', 'gw.example.org'],
  );
  assert.equal(jumps[1].user, 'gwuser');
  assert.equal(jumps[0].identityAgent, '/home/me/.agent.sock');
  assert.equal(target.hostName, 'login.hpc.example.org');
});

test('a ProxyJump given in Porthole takes users and ports', () => {
  const { jumps } = resolveRoute({ name: 'c', host: '10.0.0.5', proxyJump: 'u1@j1:2200,j2' }, context);
  assert.deepEqual(
    jumps.map((j) => [j.user, j.hostName, j.port]),
    [
      ['u1', 'j1', 2200],
      ['fallback', 'j2', 22],
    ],
  );
});

test('a host not in ssh_config gets the Host * defaults and OpenSSH defaults', () => {
  const { target, jumps } = resolveRoute({ name: 'c', host: 'plain.example' }, context);
  assert.equal(target.hostName, 'plain.example');
  assert.equal(target.user, 'fallback');
  assert.equal(target.port, 22);
  assert.equal(target.identityFilesExplicit, false);
  assert.deepEqual(jumps, []);
});

test('IdentityAgent none turns the agent off; UserKnownHostsFile is read', () => {
  const { target } = resolveRoute({ name: 'c', host: 'nokeys' }, context);
  assert.equal(target.identityAgent, null);
  assert.deepEqual(target.knownHostsFiles, ['/home/me/.ssh/extra_known_hosts']);
});

test('a ProxyJump loop is refused', () => {
  const loop = 'Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n';
  assert.throws(() => resolveRoute({ name: 'c', host: 'x', proxyJump: 'a' }, { ...context, sshConfigText: loop }), /loop/);
});

test('jump specs parse like OpenSSH', () => {
  assert.deepEqual(parseJump('bob@[2001:db8::1]:2222'), { user: 'bob', host: '2001:db8::1', port: 2222 });
  assert.throws(() => parseJump('h:99999'), /between 1 and 65535/);
});

test('Include lines are expanded in place: relative to ~/.ssh, wildcards sorted, loops refused', async () => {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { readSshConfigWithIncludes } = await import('../../../main/ssh/config-include');
  const { tempDir } = await import('../../cluster/fixture');
  const home = tempDir('include');
  await mkdir(join(home, '.ssh/config.d'), { recursive: true });
  await writeFile(join(home, '.ssh/config'), 'Include config.d/*.conf\nHost *\n  User fallback\n');
  await writeFile(join(home, '.ssh/config.d/20-b.conf'), 'Host b\n  HostName b.example\n');
  await writeFile(join(home, '.ssh/config.d/10-a.conf'), 'Host a\n  HostName a.example\n  Port 2200\n');
  await writeFile(join(home, '.ssh/config.d/ignored.txt'), 'Host a\n  HostName wrong\n');
  const text = await readSshConfigWithIncludes(join(home, '.ssh/config'), home);
  const { target } = resolveRoute({ name: 'c', host: 'a' }, { ...context, home, sshConfigText: text });
  assert.deepEqual([target.hostName, target.port, target.user], ['a.example', 2200, 'fallback']);
  assert.ok(text.indexOf('a.example') < text.indexOf('b.example'));
  await writeFile(join(home, '.ssh/loop'), 'Include ~/.ssh/loop\n');
  await assert.rejects(readSshConfigWithIncludes(join(home, '.ssh/loop'), home), /loop/);
});

test('IdentitiesOnly and the sign-in methods ssh_config turns off are read; OpenSSH defaults otherwise', () => {
  const text =
    'Host strict\n  IdentitiesOnly yes\n  PasswordAuthentication no\n  ChallengeResponseAuthentication no\nHost nokeys\n  PubkeyAuthentication no\n  KbdInteractiveAuthentication yes\n';
  const strict = resolveRoute({ name: 'c', host: 'strict' }, { ...context, sshConfigText: text }).target;
  assert.equal(strict.identitiesOnly, true);
  assert.deepEqual(strict.allowed, { publickey: true, keyboardInteractive: false, password: false });
  const nokeys = resolveRoute({ name: 'c', host: 'nokeys' }, { ...context, sshConfigText: text }).target;
  assert.equal(nokeys.identitiesOnly, false);
  assert.deepEqual(nokeys.allowed, { publickey: false, keyboardInteractive: true, password: true });
});

test('a yes/no option with another value is refused, naming the option, the host and the value', () => {
  assert.throws(
    () => resolveRoute({ name: 'c', host: 'h' }, { ...context, sshConfigText: 'Host h\n  PasswordAuthentication maybe\n' }),
    /PasswordAuthentication 'maybe' for host 'h'; write yes or no/,
  );
});
