import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionState } from '../../../main/api';
import { configPaths } from '../../../main/config/paths';
import { demoClusterFromCheckout } from '../../../main/demo-cluster';
import { PortholeApp } from '../../../main/porthole-app';
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

test('the demo: each line test/cluster/up prints reaches the window as the connecting state of `demo`, and its failure with the last lines', async () => {
  const root = await checkout(
    'echo "Installing slurm-wlm (apt-get)"\necho "Starting slurmctld"\necho "slurmctld: fatal: cannot bind 6817" >&2\nexit 4\n',
  );
  const app = new PortholeApp({
    paths: configPaths(join(root, 'config')),
    home: join(root, 'home'),
    localUser: 'nobody',
    env: {},
    bundle: { version: '0.0.0-test', hash: '', contents: Buffer.alloc(0) },
    globalKnownHostsFiles: [],
    demoCluster: (onLine) => demoClusterFromCheckout(root, join(root, 'known_hosts'), onLine),
  });
  const states: ConnectionState[] = [];
  app.backend().subscribe((event) => (event.type === 'connection' ? states.push(event.state) : undefined));
  await assert.rejects(app.addDemoCluster(), /test\/cluster\/up failed \(exit 4\); its last lines:\n[\s\S]*cannot bind 6817/);
  const progress = states.filter((s) => s.status === 'connecting').map((s) => s.reason);
  assert.deepEqual(progress.slice(0, 2), [
    'Starting the demo cluster: Installing slurm-wlm (apt-get)',
    'Starting the demo cluster: Starting slurmctld',
  ]);
  assert.ok(progress.includes('Starting the demo cluster: slurmctld: fatal: cannot bind 6817'), 'stderr lines too');
  const last = states.at(-1)!;
  assert.equal(last.cluster, 'demo');
  assert.equal(last.status, 'failed');
  assert.match(last.reason ?? '', /exit 4[\s\S]*Installing slurm-wlm[\s\S]*cannot bind 6817/);
  assert.deepEqual(await app.store.list(), [], 'no cluster added');
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
