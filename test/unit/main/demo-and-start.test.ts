import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoClusterFromCheckout } from '../../../main/demo-cluster';
import { electronBinary } from '../../../main/electron-launcher';
import { tempDir } from '../../cluster/fixture';

async function checkout(upScript: string) {
  const root = tempDir('checkout');
  await mkdir(join(root, 'test/cluster/state'), { recursive: true });
  await writeFile(join(root, 'test/cluster/up'), upScript);
  return root;
}

test('porthole demo: runs test/cluster/up, then adds the cluster it describes and trusts its fresh host key', async () => {
  const root = await checkout('set -euo pipefail\necho up ran > "$(dirname "$0")/state/ran"\n');
  const knownHosts = join(root, 'test/cluster/state/known_hosts');
  await writeFile(knownHosts, '[127.0.0.1]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEOTFxbT7\n');
  await writeFile(
    join(root, 'test/cluster/state/cluster.json'),
    JSON.stringify({
      ssh: {
        host: '127.0.0.1',
        port: 2222,
        user: 'porthole',
        identityFile: '/k',
        knownHostsFile: knownHosts,
        hostKeyFingerprint: 'SHA256:x',
      },
      sshConfigFile: '/c',
    }),
  );
  const portholeKnownHosts = join(root, 'porthole-home/known_hosts');
  const config = await demoClusterFromCheckout(root, portholeKnownHosts);
  assert.deepEqual(config, { name: 'demo', host: '127.0.0.1', port: 2222, user: 'porthole', identityFile: '/k' });
  assert.equal(await readFile(join(root, 'test/cluster/state/ran'), 'utf8'), 'up ran\n');
  assert.match(await readFile(portholeKnownHosts, 'utf8'), /^\[127\.0\.0\.1\]:2222 ssh-ed25519/);
  await demoClusterFromCheckout(root, portholeKnownHosts);
  assert.equal((await readFile(portholeKnownHosts, 'utf8')).split('\n').filter(Boolean).length, 1, 'not added twice');
});

test('porthole demo: a failing test/cluster/up is reported, with no cluster added', async () => {
  const root = await checkout('exit 3\n');
  await assert.rejects(demoClusterFromCheckout(root, join(root, 'kh')), /test\/cluster\/up failed \(exit 3\)/);
});

test('porthole start: Electron only when path.txt names a binary that exists', async () => {
  const root = tempDir('electron');
  assert.equal(electronBinary(root), null);
  await mkdir(join(root, 'node_modules/electron/dist'), { recursive: true });
  await writeFile(join(root, 'node_modules/electron/path.txt'), 'electron');
  assert.equal(electronBinary(root), null, 'path.txt without the binary (the download failed)');
  await writeFile(join(root, 'node_modules/electron/dist/electron'), '');
  assert.equal(electronBinary(root), join(root, 'node_modules/electron/dist/electron'));
});
