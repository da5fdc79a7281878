// A cluster with two login nodes loses the one it is on while a desktop is open in the viewer:
// the connection moves to the other by itself, says which login node it is on, the viewer shows
// the desktop again, and the session is the same session in the same state throughout.
// login1 is a stand-in (a second instance of login1's sshd, login-node-stand-in.ts), frozen with
// SIGSTOP so that the shared login1 never stalls; login2 is the test cluster's own.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { failOver, ReconnectingViewer, setUpFailover, CLUSTER, type FailoverSetup } from './failover-scenario';

let setup: FailoverSetup | undefined;
let viewer: ReconnectingViewer | undefined;
after(async () => {
  viewer?.stop();
  await setup?.cleanup();
});

test('login1 stops answering with a desktop open: the app moves to login2, says so, and the viewer shows the desktop again', async () => {
  setup = await setUpFailover(`0.0.0-failover-${process.pid}`);
  const { backend, session, login1, login2 } = setup;
  assert.equal((await backend.handlers['clusters.connect'](CLUSTER)).loginNode, login1, 'on login1, the first listed');
  viewer = new ReconnectingViewer(backend, session.id);
  await viewer.start();
  assert.equal(viewer.pixelsAt.length, 1, 'the viewer shows the desktop through login1');
  const eventsBefore = setup.sessionEvents.length;

  const times = await failOver(setup, viewer);

  const state = await backend.handlers['clusters.connect'](CLUSTER);
  assert.equal(state.status, 'connected');
  assert.equal(state.loginNode, login2, 'the state says which login node the cluster is on now');
  assert.equal(times.loginNode, login2);
  assert.ok(times.pixelsMs < 15_000, `pixels again within 15 s (took ${times.pixelsMs.toFixed(0)} ms)`);
  // Host keys are per login node: login2's was asked about by its own address when it was first reached.
  const hostKeyPrompts = setup.prompts.filter((p) => p.type === 'hostKey').map((p) => `${p.host}:${p.port}`);
  assert.deepEqual(hostKeyPrompts, [login1, login2]);
  // The same session, in the same state, before, during and after.
  const listed = (await backend.handlers['sessions.list'](CLUSTER)).find((s) => s.id === session.id);
  assert.deepEqual(
    { state: listed?.state, jobId: listed?.jobId, node: listed?.node, readyAt: listed?.readyAt },
    { state: 'ready', jobId: session.jobId, node: session.node, readyAt: session.readyAt },
  );
  const during = setup.sessionEvents.slice(eventsBefore).filter((s) => s.id === session.id);
  assert.deepEqual([...new Set(during.map((s) => s.state))], during.length ? ['ready'] : []);
  // The agent now answering runs on login2 (its own namespaces and host name), not on the frozen stand-in.
  const live = await setup.app.cluster(CLUSTER);
  const where = await live.connection.run('cat /proc/sys/kernel/hostname; echo "$SSH_CONNECTION"');
  assert.match(where.stdout, /198\.51\.100\.3 22\s*$/);
});
