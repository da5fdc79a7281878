// Failover between login nodes (issue 19): from the moment login1 falls silent (SIGSTOP to its
// sshd and everything under it, test/cluster/main/login-node-stand-in.ts) to pixels again in the
// viewer through login2, median over a few runs, split into: keepalive noticing the silence;
// choosing and signing in to login2 plus the agent's hello there; the viewer's reconnect (its
// backoff, a new viewer URL, the relay to the node, the RFB handshake, first pixels).
import { failOver, ReconnectingViewer, setUpFailover } from '../cluster/main/failover-scenario';
import { median, type Bench } from './figures';

const RUNS = 3;

const bench: Bench = async (context) => {
  const runs: Awaited<ReturnType<typeof failOver>>[] = [];
  for (let run = 0; run < RUNS; run++) {
    const setup = await setUpFailover(`0.0.0-failover-bench-${process.pid}-${run}`);
    const viewer = new ReconnectingViewer(setup.backend, setup.session.id);
    try {
      await viewer.start();
      const times = await failOver(setup, viewer);
      if (times.loginNode !== setup.login2) throw new Error(`moved to ${times.loginNode}, not ${setup.login2}`);
      runs.push(times);
      context.note(
        `run ${run + 1}: silence noticed ${times.detectedMs.toFixed(0)} ms, on login2 with the agent ` +
          `${times.connectedMs.toFixed(0)} ms, pixels ${times.pixelsMs.toFixed(0)} ms`,
      );
    } finally {
      viewer.stop();
      await setup.cleanup();
    }
  }
  const detected = median(runs.map((t) => t.detectedMs));
  const connected = median(runs.map((t) => t.connectedMs));
  const pixels = median(runs.map((t) => t.pixelsMs));
  context.figure({ name: 'login1 dies → pixels again through login2 (median)', value: pixels, unit: 'ms', goal: '< 5000 ms' });
  context.figure({ name: '  of which keepalive notices login1 is gone', value: detected, unit: 'ms' });
  context.figure({ name: '  of which on login2, signed in, agent answering', value: connected - detected, unit: 'ms' });
  context.figure({ name: '  of which the viewer reconnects to first pixels', value: pixels - connected, unit: 'ms' });
};
export default bench;
