import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ClusterConfig, ConnectionState } from '../../../main/api';
import { ClusterStore } from '../../../main/config/cluster-store';
import { PromptBroker } from '../../../main/prompts';
import { resolveLoginNodes } from '../../../main/ssh/config';
import { SshConnection } from '../../../main/ssh/connection';
import { HostKeyStore } from '../../../main/ssh/host-key-store';
import { tempDir } from '../../cluster/fixture';

/** A real SshConnection to the cluster, with the real route, resolver and sockets. */
function connectionTo(cluster: ClusterConfig, connectedBefore: boolean) {
  const home = tempDir('first-connection');
  const prompts = new PromptBroker(() => undefined);
  const ssh = new SshConnection({
    cluster: cluster.name,
    loginNodes: resolveLoginNodes(cluster, { sshConfigText: '', home, localUser: 'alice', env: {} }),
    hostKeys: new HostKeyStore({ home, portholeKnownHostsFile: join(home, 'known_hosts'), prompts, globalKnownHostsFiles: [] }),
    prompts,
    home,
    readyTimeoutMs: 5000,
    connectedBefore,
  });
  const states: ConnectionState[] = [];
  ssh.on('state', (state) => states.push(state));
  return { ssh, states };
}

/** A port on 127.0.0.1 that nothing listens on: bound, then closed. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('a new cluster whose host name does not resolve stops at once and says to check the host and the VPN', async () => {
  const { ssh, states } = connectionTo({ name: 'typo', host: 'no-such-host.invalid', user: 'alice' }, false);
  await assert.rejects(ssh.connect(), /the host name 'no-such-host\.invalid' does not resolve.*Host for a typo.*VPN/);
  assert.equal(ssh.state.status, 'failed');
  assert.match(ssh.state.reason ?? '', /Cluster 'typo'.*Connect again/);
  assert.ok(!states.some((s) => s.status === 'reconnecting'), 'no retry is scheduled');
});

test('a new cluster whose port refuses stops at once and names the address, the port and the VPN', async () => {
  const port = await refusedPort();
  const { ssh, states } = connectionTo({ name: 'closed', host: '127.0.0.1', port, user: 'alice' }, false);
  await assert.rejects(ssh.connect(), new RegExp(`127\\.0\\.0\\.1:${port} refused the connection.*Host and Port.*VPN`));
  assert.equal(ssh.state.status, 'failed');
  assert.ok(!states.some((s) => s.status === 'reconnecting'), 'no retry is scheduled');
});

test('a cluster that has connected before keeps retrying the same refusal (its network may be down for a while)', async () => {
  const port = await refusedPort();
  const { ssh } = connectionTo({ name: 'known', host: '127.0.0.1', port, user: 'alice' }, true);
  try {
    await assert.rejects(ssh.connect(), /ECONNREFUSED/);
    assert.equal(ssh.state.status, 'reconnecting');
    assert.ok(ssh.state.nextAttemptAt, 'the next attempt has a time');
  } finally {
    ssh.disconnect();
  }
});

test('clusters.json remembers that a cluster connected, until its server changes; the Api never shows the note', async () => {
  const store = new ClusterStore(join(tempDir('first-connection-store'), 'clusters.json'));
  await store.add({ name: 'hpc', host: 'login.hpc.example', user: 'alice' });
  assert.equal(await store.connectedBefore('hpc'), false);
  await store.markConnected('hpc');
  assert.equal(await store.connectedBefore('hpc'), true);
  assert.deepEqual(await store.list(), [{ name: 'hpc', host: 'login.hpc.example', user: 'alice' }]);
  await store.update('hpc', { name: 'hpc', host: 'login.hpc.example', user: 'bob' });
  assert.equal(await store.connectedBefore('hpc'), true, 'another user on the same server keeps the note');
  await store.update('hpc', { name: 'hpc', host: 'login2.hpc.example', user: 'bob' });
  assert.equal(await store.connectedBefore('hpc'), false, 'a new host is a first connection again');
});
