// How the test user reaches the cluster: the porthole-test entry of sshConfigFile, the host
// key fingerprint in cluster.json, the jump host, and the keyboard-interactive user.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { Client } from 'ssh2';
import { limitHomeQuota, loadTestCluster, sshRun } from './fixture';

test('ssh -F <sshConfigFile> porthole-test runs commands as the test user with node and SLURM_CONF', async () => {
  const cluster = loadTestCluster();
  const result = await sshRun('id -un; command -v node; echo "$SLURM_CONF"; cat', { input: 'from stdin\n' });
  assert.equal(result.code, 0, result.stderr);
  const [user, node, conf, echoed] = result.stdout.trim().split('\n');
  assert.deepEqual(
    { user, node, conf, echoed },
    { user: cluster.ssh.user, node: '/usr/bin/node', conf: cluster.slurm.conf, echoed: 'from stdin' },
  );
});

test('sshRun passes stdin and reports the remote exit status', async () => {
  const result = await sshRun('cat; exit 3', { input: 'from stdin\n' });
  assert.deepEqual({ stdout: result.stdout, code: result.code }, { stdout: 'from stdin\n', code: 3 });
});

test('hostKeyFingerprint is the SHA256 fingerprint the login sshd presents', () => {
  const cluster = loadTestCluster();
  const scanned = execFileSync('ssh-keyscan', ['-t', 'ed25519', '-p', String(cluster.ssh.port), cluster.ssh.host], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', '-'], { input: scanned, encoding: 'utf8' }).split(' ')[1];
  assert.match(cluster.ssh.hostKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  assert.equal(fingerprint, cluster.ssh.hostKeyFingerprint);
});

test('the login side reaches node01 with `ssh node01`, which has node and SLURM_CONF too', async () => {
  const cluster = loadTestCluster();
  const result = await sshRun(`ssh node01 'hostname; command -v node; echo "$SLURM_CONF"'`);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(result.stdout.trim().split('\n'), ['node01', '/usr/bin/node', cluster.slurm.conf]);
});

test('the jump host lets the same user through with ProxyJump', () => {
  const cluster = loadTestCluster();
  const user = execFileSync('ssh', ['-F', cluster.sshConfigFile, 'porthole-test-via-jump', 'id -un'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(user.trim(), cluster.ssh.user);
  assert.equal(cluster.jump.host, '127.0.0.1');
});

test('the keyboard-interactive user signs in by answering the password prompt', async () => {
  const { keyboardInteractive: kbd } = loadTestCluster();
  const prompts: string[] = [];
  const output = await new Promise<string>((resolve, reject) => {
    const client = new Client();
    client.on('keyboard-interactive', (_name, _instructions, _lang, asked, finish) => {
      prompts.push(...asked.map((p) => p.prompt));
      finish(kbd.responses);
    });
    client.on('ready', () =>
      client.exec('id -un', (error, stream) => {
        if (error) return reject(error);
        let text = '';
        stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
        stream.on('close', () => {
          client.end();
          resolve(text.trim());
        });
      }),
    );
    client.on('error', reject);
    client.connect({ host: kbd.host, port: kbd.port, username: kbd.user, tryKeyboard: true, readyTimeout: 15_000 });
  });
  assert.equal(output, kbd.user);
  assert.deepEqual(prompts, ['Password: ']);
});

test('the keyboard-interactive user is refused with a wrong answer', async () => {
  const { keyboardInteractive: kbd } = loadTestCluster();
  const error = await new Promise<Error>((resolve) => {
    const client = new Client();
    client.on('keyboard-interactive', (_n, _i, _l, _asked, finish) => finish(['wrong']));
    client.on('ready', () => {
      client.end();
      resolve(new Error('signed in with a wrong password'));
    });
    client.on('error', resolve);
    client.connect({ host: kbd.host, port: kbd.port, username: kbd.user, tryKeyboard: true, readyTimeout: 15_000 });
  });
  assert.match(error.message, /authentication methods failed/);
});

test('the colleague signs in with a key of their own on login1 and login2, and cannot use the test user’s', () => {
  const cluster = loadTestCluster();
  for (const host of [cluster.colleague.sshHost, cluster.colleague.sshHostLogin2]) {
    const user = execFileSync('ssh', ['-F', cluster.sshConfigFile, host, 'id -un'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(user.trim(), cluster.colleague.user, host);
  }
  // porthole-test offers the test user's key only: the colleague's account does not take it.
  const withOtherKey = spawnSync('ssh', ['-F', cluster.sshConfigFile, '-l', cluster.colleague.user, 'porthole-test', 'id -un'], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(withOtherKey.status, 255, withOtherKey.stdout);
  assert.match(withOtherKey.stderr, /Permission denied/);
});

test('a home is a subvolume whose quota, once limited, refuses writes with "Disk quota exceeded"', async () => {
  const cluster = loadTestCluster();
  const liftLimit = limitHomeQuota(cluster.ssh.home, 8 * 1024 * 1024);
  try {
    const result = await sshRun('f=$(mktemp ~/.quota-test.XXXXXX); dd if=/dev/zero of="$f" bs=1M count=16 2>&1; rm -f "$f"');
    assert.match(result.stdout, /Disk quota exceeded/);
  } finally {
    liftLimit();
  }
  const after = await sshRun('f=$(mktemp ~/.quota-test.XXXXXX); dd if=/dev/zero of="$f" bs=1M count=16 2>&1; rm -f "$f"');
  assert.doesNotMatch(after.stdout, /Disk quota exceeded/);
  assert.equal(after.code, 0, after.stdout);
});
