// UI figures, in Debian's Chromium through `porthole serve`:
//   launch click → first remote pixels, next to the floor (sbatch → Xvnc answering) in the same run, in pairs
//   job ready (connection.json written) → the UI shows Ready
//   viewer tunnel open → first pixels on the canvas
//   History with 10,000 cached sessions: first render, and a search
// Times on both sides come from the same machine's clock (the test cluster is local).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { toHistoryRecord } from '../../renderer/logic/history-search';
import { pastSessions } from '../e2e/past-sessions';
import { VNC_DESKTOP_CARD } from '../e2e/template-names';
import { startPortholeServer, type PortholeServer } from '../e2e/porthole-server';
import { loadTestCluster, sshRun, type TestCluster } from '../cluster/fixture';
import { BareChromium } from './bare-chromium';
import { median, type Bench, type BenchContext } from './figures';

/** What test/e2e/page-probes.ts exports: functions run inside the page (DOM-typed there). */
interface PageProbes {
  seedHistory(rows: unknown[]): Promise<void>;
  timeHistoryRender(): Promise<number>;
  timeHistorySearch(query: string): Promise<number>;
  historyRowsInDom(): number;
  historyLoadMs(): number | null;
  timeLaunchToPixels(): Promise<{
    click: number;
    ready: number;
    pixels: number;
    urlRequested: number;
    socketOpen: number;
    rfbConnect: number;
    pixelsPerf: number;
  }>;
}
// Loaded at run time by path so that its DOM types stay out of the Node TypeScript project.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const probes = require(join(__dirname, '../e2e/page-probes')) as PageProbes;

const LAUNCHES = 6;
const HISTORY_SIZE = 10_000;

/**
 * Every figure is timed in a Chromium with no DevTools domain on (bare-chromium.ts says why);
 * Playwright clicks through the steps in between.
 */
const bench: Bench = async (context) => {
  const server = await startPortholeServer();
  try {
    await historyFigures(context, server);
    await launchFigures(context, server, loadTestCluster());
  } finally {
    await server.stop();
  }
};
export default bench;

async function openApp(browser: BareChromium, server: PortholeServer): Promise<void> {
  await browser.withPlaywright(async (page) => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Clusters' }).waitFor();
  });
}

async function historyFigures(context: BenchContext, server: PortholeServer): Promise<void> {
  const browser = await BareChromium.launch(1024, 700);
  try {
    await openApp(browser, server);
    const records = pastSessions(HISTORY_SIZE).map((s) => toHistoryRecord(`${s.cluster}/${s.id}`, s, Date.now()));
    // The same database the app opened (renderer/history/history-db.ts), filled as if by months of use.
    await browser.evaluate(probes.seedHistory, records);
    const loads: number[] = [];
    const renders: number[] = [];
    const searches: number[] = [];
    for (let run = 0; run < 5; run++) {
      await openApp(browser, server);
      // The app loads the cache at start; the render is timed once it has.
      let loadMs: number | null = null;
      for (let i = 0; i < 200 && loadMs === null; i++) {
        loadMs = await browser.evaluate(probes.historyLoadMs);
        if (loadMs === null) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      if (loadMs === null) throw new Error('The app did not load its history cache within 5 s');
      loads.push(loadMs);
      renders.push(await browser.evaluate(probes.timeHistoryRender));
      for (const query of ['paraview node07', 'failed gpu-farm', 'hours=3 viz']) {
        searches.push(await browser.evaluate(probes.timeHistorySearch, query));
        await browser.withPlaywright((page) => page.getByRole('searchbox', { name: 'Search history' }).fill(''));
      }
    }
    const domRows = await browser.evaluate(probes.historyRowsInDom);
    context.note(
      `History: ${HISTORY_SIZE} cached sessions in IndexedDB, ${domRows} rows in the DOM (virtualised); 5 renders, ${searches.length} searches`,
    );
    context.figure({ name: 'History cache load at app start (10,000 cached sessions)', value: median(loads), unit: 'ms' });
    context.figure({ name: 'History first render (10,000 cached sessions)', value: median(renders), unit: 'ms', goal: '≤ 100 ms' });
    context.figure({ name: 'History search (10,000 cached sessions)', value: median(searches), unit: 'ms', goal: '≤ 50 ms' });
  } finally {
    await browser.close();
  }
}

/**
 * sbatch → Xvnc answering on the node, measured by a bare job: what no UI can beat. Xvnc starts
 * as the job library starts it (it reports its display with -displayfd, then it is taken as
 * started) and answers once a client has its RFB greeting. The job asks for what a launch of the
 * VNC desktop asks for, so the scheduler treats both alike. Gives [ms, job id].
 */
async function floorOnce(): Promise<[number, string]> {
  const port = 5960 + Math.floor(Math.random() * 30);
  const marker = `.porthole-bench-floor-${process.pid}-${port}`;
  // A bash script (sbatch --wrap runs sh, which has no /dev/tcp).
  const job = [
    '#!/bin/bash',
    'd=$(mktemp -d)',
    `Xvnc -displayfd 3 -rfbport ${port} -localhost -SecurityTypes None -UseBlacklist=0 3>"$d/display" 2>/dev/null & x=$!`,
    'until [ -s "$d/display" ]; do sleep 0.005; done',
    `exec 3<>/dev/tcp/127.0.0.1/${port} && head -c 12 <&3 >/dev/null && date +%s%N > "$HOME/${marker}"`,
    'sleep 1; kill $x; rm -rf "$d"',
  ].join('\n');
  const submitted = await sshRun(
    `t0=$(date +%s%N); job=$(sbatch --parsable -c 1 --mem=2G -t 60 -J bench-floor -o /dev/null <<'JOB'\n${job}\nJOB\n) && echo $t0 $job`,
  );
  if (submitted.code !== 0) throw new Error(`sbatch of the floor job failed: ${submitted.stderr}`);
  const [t0, jobId] = submitted.stdout.trim().split(' ');
  for (let i = 0; i < 600; i++) {
    const read = await sshRun(`cat "$HOME/${marker}" 2>/dev/null && rm -f "$HOME/${marker}"`);
    if (read.stdout.trim()) return [Number(BigInt(read.stdout.trim()) - BigInt(t0)) / 1e6, jobId];
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('The floor job never had Xvnc answering');
}

/**
 * Waits until these jobs have left Slurm's queue, completing included: a job submitted while
 * the node still cleans up after one waits for the scheduler's next pass (about 2.7 s here), and
 * then a floor measured after a launch's cancel would carry that wait and the launch not.
 */
async function untilGone(jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  for (let i = 0; i < 300; i++) {
    const listed = await sshRun(`squeue -h -t PENDING,CONFIGURING,RUNNING,COMPLETING -j ${jobIds.join(',')} -o %i 2>/dev/null`);
    if (!listed.stdout.trim()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`jobs ${jobIds.join(', ')} were still in the queue after 30 s`);
}

/** The sessions the agent has a folder for: a launch adds one. */
function sessionIds(cluster: TestCluster): Set<string> {
  return new Set(readdirSync(join(cluster.ssh.home, '.porthole/sessions')));
}

async function addAndConnect(page: Page, server: PortholeServer, cluster: TestCluster): Promise<void> {
  await page.goto(server.url);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('bench');
  await page.getByRole('textbox', { name: 'Host', exact: true }).fill(cluster.ssh.host);
  await page.getByRole('textbox', { name: 'User', exact: true }).fill(cluster.ssh.user);
  await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(cluster.ssh.port));
  await page.getByRole('textbox', { name: 'Identity file' }).fill(cluster.ssh.identityFile);
  // Adding connects at once: the host key question comes without Connect.
  await page.getByRole('button', { name: 'Add cluster' }).click();
  await page.getByRole('dialog', { name: 'Unknown host key' }).getByRole('button', { name: 'Trust' }).click();
  await page.getByText('Connected', { exact: true }).waitFor({ timeout: 120_000 });
}

async function launchFigures(context: BenchContext, server: PortholeServer, cluster: TestCluster): Promise<void> {
  const browser = await BareChromium.launch(1024, 700);
  try {
    await browser.withPlaywright((page) => addAndConnect(page, server, cluster));
    const toPixels: number[] = [];
    const floors: number[] = [];
    const readyToUi: number[] = [];
    const tunnelToPixels: number[] = [];
    const steps = {
      clickToReady: [] as number[],
      readyToUrl: [] as number[],
      urlToSocket: [] as number[],
      socketToLogin: [] as number[],
      loginToPixels: [] as number[],
    };
    // Pairs in turn, floor first then launch first (ABBA), each side starting once the other's
    // job has left the queue: both wait for the same things.
    let lastJobs: string[] = [];
    const measureFloor = async () => {
      await untilGone(lastJobs);
      const [ms, jobId] = await floorOnce();
      floors.push(ms);
      lastJobs = [jobId];
    };
    const measureLaunch = async () => {
      await untilGone(lastJobs);
      await browser.withPlaywright(async (page) => {
        await page.getByRole('link', { name: 'Launch' }).click();
        await page.getByRole('list', { name: 'Templates' }).getByRole('button', { name: VNC_DESKTOP_CARD }).first().click();
        await page.getByRole('button', { name: 'Launch', exact: true }).waitFor();
      });
      const before = sessionIds(cluster);
      const times = await browser.evaluate(probes.timeLaunchToPixels);
      const [sessionId] = [...sessionIds(cluster)].filter((id) => !before.has(id));
      const sessionDir = join(cluster.ssh.home, '.porthole/sessions', sessionId);
      const { jobId } = JSON.parse(readFileSync(join(sessionDir, 'session.json'), 'utf8')) as { jobId: string };
      toPixels.push(times.pixels - times.click);
      readyToUi.push(times.ready - statSync(join(sessionDir, 'connection.json')).mtimeMs);
      tunnelToPixels.push(times.pixelsPerf - times.socketOpen);
      steps.clickToReady.push(times.ready - times.click);
      steps.readyToUrl.push(times.urlRequested - (times.pixelsPerf - (times.pixels - times.ready)));
      steps.urlToSocket.push(times.socketOpen - times.urlRequested);
      steps.socketToLogin.push(times.rfbConnect - times.socketOpen);
      steps.loginToPixels.push(times.pixelsPerf - times.rfbConnect);
      await browser.withPlaywright(async (page) => {
        await page.getByRole('toolbar', { name: 'Viewer' }).getByRole('button', { name: 'Disconnect' }).click();
        const item = page
          .getByRole('list', { name: 'Running and waiting' })
          .getByRole('listitem')
          .filter({ hasText: `Job ${jobId} ·` });
        await item.getByRole('button', { name: 'Cancel' }).click();
        await page
          .getByRole('dialog', { name: /^Cancel / })
          .getByRole('button', { name: 'Cancel session' })
          .click();
      });
      // The next launch must not wait behind this one; how fast "Ended" shows is not a figure here.
      await sshRun(`scancel ${jobId}`);
      lastJobs = [jobId];
    };
    for (let run = 0; run < LAUNCHES; run++) {
      if (run % 2 === 0) {
        await measureFloor();
        await measureLaunch();
      } else {
        await measureLaunch();
        await measureFloor();
      }
    }
    const each = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
    const overFloor = toPixels.map((ms, i) => ms - floors[i]);
    context.note(
      `${LAUNCHES} launches of the VNC desktop template and ${LAUNCHES} bare floor jobs, in pairs (floor first, then launch first, …), each after the other's job left the queue; medians (each: ${each(toPixels)} ms; floors ${each(floors)} ms; launch − floor per pair: ${each(overFloor)} ms, median ${median(overFloor).toFixed(0)} ms)`,
    );
    context.note(
      `steps (medians): click → Ready shown ${median(steps.clickToReady).toFixed(0)} ms, → viewer URL asked ${median(steps.readyToUrl).toFixed(0)} ms, → WebSocket open ${median(steps.urlToSocket).toFixed(0)} ms, → RFB logged in ${median(steps.socketToLogin).toFixed(0)} ms, → first pixels ${median(steps.loginToPixels).toFixed(0)} ms`,
    );
    context.figure({
      name: 'Launch click → first remote pixels',
      value: median(toPixels),
      unit: 'ms',
      baseline: { name: 'floor: sbatch → Xvnc answering', value: median(floors), compare: 'difference' },
      goal: 'floor + 250 ms',
    });
    context.figure({
      name: 'Job ready (connection.json written) → UI shows Ready',
      value: median(readyToUi),
      unit: 'ms',
      goal: '≤ 500 ms',
    });
    context.figure({ name: 'Viewer tunnel open → first pixels', value: median(tunnelToPixels), unit: 'ms', goal: '≤ 300 ms' });
  } finally {
    await browser.close();
  }
}
