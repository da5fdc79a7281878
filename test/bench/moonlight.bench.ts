// Moonlight's figure: Open on a Moonlight session → `moonlight stream` started, with the FAKE
// Sunshine and the FAKE Moonlight client on this machine (test/fakes/), so what is measured is
// Porthole's pairing cost alone: reachability check, `moonlight list`, `pair` with the PIN
// posted to Sunshine's web API (its certificate checked, its client list read before and after),
// `list` again, then the stream started. The Api hop and the relay to the node are not in it
// (the web UI is reached over plain TCP here).
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { locateMoonlight } from '../../main/moonlight/client-locator';
import { moonlightRunner } from '../../main/moonlight/moonlight-process';
import { openMoonlight } from '../../main/moonlight/open-moonlight';
import { fakeMoonlightOnPath, startFakeSunshine, type FakeMoonlight, type FakeSunshine } from '../fakes/moonlight-fakes';
import { median, type Bench } from './figures';

const RUNS = 5;

const client = (moonlight: FakeMoonlight) =>
  moonlightRunner(
    locateMoonlight({ platform: process.platform, env: moonlight.env, home: '/nonexistent', settingsFile: '/nonexistent/settings.json' }),
    moonlight.env,
  );

async function openAndTime(
  sunshine: FakeSunshine,
  moonlight: FakeMoonlight,
  streamNumber: number,
): Promise<{ ms: number; paired: string }> {
  const webUi = () =>
    new Promise<Duplex>((resolve, reject) => {
      const socket = connect(sunshine.portBase + 1, sunshine.host, () => resolve(socket));
      socket.once('error', reject);
    });
  const clickedAt = Date.now();
  const opened = await openMoonlight({
    sessionId: 'bench',
    connection: {
      kind: 'sunshine',
      node: 'bench-node',
      host: sunshine.host,
      portBase: sunshine.portBase,
      username: sunshine.username,
      password: sunshine.password,
      certSha256: sunshine.certSha256,
    },
    moonlight: client(moonlight),
    openWebUiStream: webUi,
    clientName: 'Porthole bench',
  });
  // Started = the stream process running its first line (the fake records the time).
  const stream = await moonlight.waitForCall('stream', streamNumber);
  return { ms: stream.at - clickedAt, paired: opened.paired };
}

const bench: Bench = async (context) => {
  const firstOpen: number[] = [];
  const pairedOpen: number[] = [];
  const oneCall: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // A new node and a new client each run, so that the first Open really pairs.
    const sunshine = await startFakeSunshine();
    const moonlight = fakeMoonlightOnPath();
    try {
      const first = await openAndTime(sunshine, moonlight, 1);
      if (first.paired !== 'now') throw new Error(`the first Open did not pair (${first.paired})`);
      firstOpen.push(first.ms);
      const again = await openAndTime(sunshine, moonlight, 2);
      if (again.paired !== 'already') throw new Error(`the second Open paired again (${again.paired})`);
      pairedOpen.push(again.ms);
      // The floor: one call of the fake client alone (a Node process start), of which Open makes 2 to 4.
      const listStarted = Date.now();
      await client(moonlight).run(['list', `${sunshine.host}:${sunshine.portBase}`], 10_000);
      oneCall.push(Date.now() - listStarted);
    } finally {
      sunshine.stop();
      moonlight.remove();
    }
  }
  context.note(
    `${RUNS} runs with the fake Sunshine and fake Moonlight; first Open each: ${firstOpen.map((ms) => ms.toFixed(0)).join(', ')} ms; already paired: ${pairedOpen.map((ms) => ms.toFixed(0)).join(', ')} ms`,
  );
  context.figure({ name: 'Open → moonlight stream started, first Open (pairs) (median)', value: median(firstOpen), unit: 'ms' });
  context.figure({
    name: 'Open → moonlight stream started, already paired (median)',
    value: median(pairedOpen),
    unit: 'ms',
    baseline: { name: 'first Open', value: median(firstOpen) },
  });
  context.figure({
    name: 'one fake `moonlight list` call, start to exit (median; Open makes 2 paired, 4 pairing)',
    value: median(oneCall),
    unit: 'ms',
  });
};
export default bench;
