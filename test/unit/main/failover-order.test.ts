// Which login node a cluster goes back to after a drop: the one it was on, first, after a clean
// close (it may well answer at once); last, after it fell silent (the keepalive already waited
// seconds for it). The state names the login node and the drop's reason says which one was lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Client } from 'ssh2';
import type { ConnectOptions, OpenRoute } from '../../../main/ssh/connect-route';
import { SshConnection } from '../../../main/ssh/connection';
import { manualClock } from './manual-clock';

test('after a silent drop the login node is tried last, after a clean close first; the state says which one it is on', async () => {
  const { clock, advance } = manualClock();
  const asked: ConnectOptions['previous'][] = [];
  const clients: EventEmitter[] = [];
  const answers = ['login1', 'login2', 'login2'];
  const ssh = new SshConnection({
    cluster: 'hpc',
    loginNodes: [
      { label: 'login1', route: {} as never },
      { label: 'login2', route: {} as never },
    ],
    hostKeys: {} as never,
    prompts: {} as never,
    home: '/',
    readyTimeoutMs: 1000,
    clock,
    backoff: { initialMs: 100, maxMs: 100, factor: 1, jitter: 0 },
    open: async (options): Promise<OpenRoute> => {
      asked.push(options.previous);
      const client = Object.assign(new EventEmitter(), { end: () => undefined });
      clients.push(client);
      return { client: client as unknown as Client, clients: [client as unknown as Client], loginNode: answers[asked.length - 1] };
    },
  });
  await ssh.connect();
  assert.deepEqual(ssh.state, { cluster: 'hpc', status: 'connected', loginNode: 'login1' });

  clients[0].emit('error', Object.assign(new Error('Keepalive timeout'), { level: 'client-timeout' }));
  assert.equal(ssh.state.reason, 'login node login1: the connection failed: Keepalive timeout');
  await advance(100);
  assert.deepEqual(asked[1], { loginNode: 'login1', fellSilent: true });
  assert.deepEqual(ssh.state, { cluster: 'hpc', status: 'connected', loginNode: 'login2' });

  clients[1].emit('close');
  await advance(100);
  assert.deepEqual(asked[2], { loginNode: 'login2', fellSilent: false });
  ssh.disconnect();
});
