// UI figures, in Debian's Chromium through `porthole serve`:
//   launch click → first remote pixels, next to the floor (sbatch → the first whole screen received by a client on the node) in the same run, in pairs
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
import { inFloorPairs, jobStartedAt } from './launch-floor';
import { median, type Bench, type BenchContext } from './figures';

/** What test/e2e/page-probes.ts exports: functions run inside the page (DOM-typed there). */
interface PageProbes {
  seedHistory(rows: unknown[]): Promise<void>;
  timeHistoryRender(): Promise<number>;
  timeHistorySearch(query: string): Promise<number>;
  historyRowsInDom(): number;
  historyLoadMs(): number | null;
  timeLaunchToPixels(afterJobId?: number): Promise<{
    jobId: number;
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

const LAUNCHES = 10;
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
    const readyToUi: number[] = [];
    const tunnelToPixels: number[] = [];
    const steps = {
      clickToScript: [] as number[],
      scriptToServer: [] as number[],
      clickToReady: [] as number[],
      readyToUrl: [] as number[],
      urlToSocket: [] as number[],
      socketToLogin: [] as number[],
      loginToPixels: [] as number[],
    };
    // Slurm's part of each launch: the agent writes job.sh right before sbatch; slurmstepd creates output.log as the job starts.
    const launchSlurmStarts: number[] = [];
    const floorRuns = await inFloorPairs(LAUNCHES, 'first screen', async () => {
      await browser.withPlaywright(async (page) => {
        await page.getByRole('link', { name: 'Launch' }).click();
        await page.getByRole('list', { name: 'Templates' }).getByRole('button', { name: VNC_DESKTOP_CARD }).first().click();
        await page.getByRole('button', { name: 'Launch', exact: true }).waitFor();
      });
      const before = sessionIds(cluster);
      // Every job Slurm still remembers, anyone's: the launch's job comes after them.
      const known = (await sshRun('squeue -h -t all -o %i')).stdout.split('\n').map(Number);
      const times = await browser
        .evaluate(probes.timeLaunchToPixels, Math.max(0, ...known.filter(Number.isFinite)))
        .catch(async (error: Error) => {
          // What the page showed says which step never came (an error on the form, no Ready, no viewer).
          const shown = await browser.withPlaywright((page) => page.locator('main').innerText()).catch(() => '(unreadable)');
          throw new Error(`${error.message}; the page showed:\n${shown.slice(0, 1500)}`, { cause: error });
        });
      // The session the page opened, not another that the same user started meanwhile.
      const jobId = String(times.jobId);
      const sessionDir = [...sessionIds(cluster)]
        .filter((id) => !before.has(id))
        .map((id) => join(cluster.ssh.home, '.porthole/sessions', id))
        .find((dir) => (JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')) as { jobId: string }).jobId === jobId);
      if (!sessionDir) throw new Error(`No new session folder holds job ${jobId}`);
      toPixels.push(times.pixels - times.click);
      readyToUi.push(times.ready - statSync(join(sessionDir, 'connection.json')).mtimeMs);
      tunnelToPixels.push(times.pixelsPerf - times.socketOpen);
      // The agent writes job.sh right before sbatch; the job writes connection.json once Xvnc answers.
      const scriptWritten = statSync(join(sessionDir, 'job.sh')).mtimeMs;
      launchSlurmStarts.push(jobStartedAt(join(sessionDir, 'output.log')) - scriptWritten);
      steps.clickToScript.push(scriptWritten - times.click);
      steps.scriptToServer.push(statSync(join(sessionDir, 'connection.json')).mtimeMs - scriptWritten);
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
      return jobId;
    });
    const floors = floorRuns.map((run) => run.ms);
    const each = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
    const overFloor = toPixels.map((ms, i) => ms - floors[i]);
    // Slurm starts each job, launch or floor, 0.1–1 s after sbatch, at random: with that left out
    // of both sides, what is left is what Porthole adds to the least a desktop's start can take.
    const launchesUnstarted = toPixels.map((ms, i) => ms - launchSlurmStarts[i]);
    const floorsUnstarted = floorRuns.map((run) => run.ms - run.slurmStartMs);
    context.note(
      `${LAUNCHES} launches of the VNC desktop template and ${LAUNCHES} bare floor jobs, in pairs (floor first, then launch first, …), each after the other's job left the queue; medians (each: ${each(toPixels)} ms; floors ${each(floors)} ms; launch − floor per pair: ${each(overFloor)} ms, median ${median(overFloor).toFixed(0)} ms)`,
    );
    context.note(
      `steps (medians): click → job script written (sbatch next) ${median(steps.clickToScript).toFixed(0)} ms, job script → connection.json written ${median(steps.scriptToServer).toFixed(0)} ms, → Ready shown ${median(readyToUi).toFixed(0)} ms (click → Ready ${median(steps.clickToReady).toFixed(0)} ms), → viewer URL asked ${median(steps.readyToUrl).toFixed(0)} ms, → WebSocket open ${median(steps.urlToSocket).toFixed(0)} ms, → RFB logged in ${median(steps.socketToLogin).toFixed(0)} ms, → first pixels ${median(steps.loginToPixels).toFixed(0)} ms`,
    );
    context.figure({
      name: 'Launch click → first remote pixels',
      value: median(toPixels),
      unit: 'ms',
      baseline: { name: 'floor: sbatch → first whole screen received on the node', value: median(floors), compare: 'difference' },
      goal: 'floor + 250 ms',
    });
    // Slurm starts a job 180–1,070 ms after sbatch here, each job on its own: the two medians
    // above and the median of each pair's difference can differ by ~100 ms; both are printed.
    context.figure({
      name: 'Launch click → first remote pixels over its paired floor (median of the pairs’ differences)',
      value: median(overFloor),
      unit: 'ms',
      goal: '≤ 250 ms',
    });
    context.note(
      `Slurm's start (sbatch → the job's output file created): launches ${each(launchSlurmStarts)} ms; floors ${each(floorRuns.map((run) => run.slurmStartMs))} ms`,
    );
    context.figure({
      name: 'Launch click → first remote pixels, Slurm’s start left out of both sides',
      value: median(launchesUnstarted),
      unit: 'ms',
      baseline: { name: 'floor, the same', value: median(floorsUnstarted), compare: 'difference' },
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
