// The fixture's own contract: cluster.json is read and checked once, with errors that say what to do.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTestCluster, shellQuote, sshRun, tempDir } from './fixture';

test('loadTestCluster tells to run test/cluster/up when cluster.json is missing', () => {
  assert.throws(() => loadTestCluster('/nonexistent/cluster.json'), /Run `bash test\/cluster\/up`/);
});

test('loadTestCluster names the fields a broken cluster.json lacks', () => {
  const file = join(tempDir('fixture'), 'cluster.json');
  writeFileSync(file, JSON.stringify({ ssh: { host: '127.0.0.1', port: '22' }, sshConfigFile: 'relative/ssh_config' }));
  assert.throws(
    () => loadTestCluster(file),
    (error: Error) => {
      assert.match(error.message, /ssh\.port should be a number/);
      assert.match(error.message, /sshConfigFile should be an absolute path/);
      assert.match(error.message, /bash test\/cluster\/up/);
      return true;
    },
  );
});

test('the cluster.json that up wrote has absolute paths and an OpenSSH fingerprint', () => {
  const cluster = loadTestCluster();
  assert.match(cluster.ssh.hostKeyFingerprint, /^SHA256:/);
  assert.deepEqual(
    cluster.slurm.nodes.map((node) => node.name),
    ['node01'],
  );
});

test('shellQuote gives the remote shell each text back as one word, quotes and spaces included', async () => {
  const texts = ["it's", 'two words', '$HOME `id` "x"', ''];
  const echoed = await sshRun(`printf '%s\\n' ${texts.map(shellQuote).join(' ')}`);
  assert.equal(echoed.stdout, texts.map((text) => `${text}\n`).join(''));
});
