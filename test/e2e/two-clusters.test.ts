// Two clusters at once (issue 19): login1 and login2 of the test cluster added as two clusters,
// a desktop on each, both listed in Sessions with their cluster, each viewer through its own
// connection; when one cluster's login node dies, the other stays live and its viewer connected.
// `alpha`'s login node is a second instance of login1's sshd (test/cluster/main/login-node-stand-in.ts),
// so that killing it never takes the shared login1 from the other tests.
import type { Page } from '@playwright/test';
import { startLoginNodeStandIn, type LoginNodeStandIn } from '../cluster/main/login-node-stand-in';
import { desktopCanvas, summariseCanvas } from './desktop-canvas';
import { test, expect } from './fixtures';
import { recordSocketTraffic } from './socket-traffic';
import { clusterCard, sessionsList } from './steps';
import { VNC_DESKTOP_CARD } from './template-names';
import { sshRun } from '../cluster/fixture';

let standIn: LoginNodeStandIn | undefined;
test.afterEach(async () => {
  await standIn?.stop();
});

async function addCluster(page: Page, name: string, host: string, port: number, fingerprint: string, user: string, identityFile: string) {
  await page.getByRole('link', { name: 'Clusters', exact: true }).click();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('textbox', { name: 'Host', exact: true }).fill(host);
  await page.getByRole('textbox', { name: 'User', exact: true }).fill(user);
  await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(port));
  await page.getByRole('textbox', { name: 'Identity file' }).fill(identityFile);
  await page.getByRole('button', { name: 'Add cluster' }).click();
  const dialog = page.getByRole('dialog', { name: 'Unknown host key' });
  await expect(dialog).toBeVisible({ timeout: 60_000 });
  await expect(dialog).toContainText(host);
  await expect(dialog.getByLabel('Fingerprint')).toContainText(fingerprint);
  await dialog.getByRole('button', { name: 'Trust' }).click();
  await expect(clusterCard(page, name).getByText('Connected', { exact: true })).toBeVisible({ timeout: 120_000 });
}

/** Launches a VNC desktop on `cluster`; returns its job id, read from the host's answer. */
async function launchDesktop(page: Page, apiFrames: string[], cluster: string): Promise<string> {
  await page.getByRole('link', { name: 'Launch' }).click();
  // The last launch's form may still be open.
  const back = page.getByRole('button', { name: 'Back to templates' });
  if (await back.isVisible()) await back.click();
  await page.getByRole('combobox', { name: 'Cluster' }).selectOption(cluster);
  await page.getByRole('list', { name: 'Templates' }).getByRole('button', { name: VNC_DESKTOP_CARD }).first().click();
  const before = apiFrames.length;
  await page.getByRole('button', { name: 'Launch', exact: true }).click();
  let jobId: string | undefined;
  await expect
    .poll(() => {
      const answers = apiFrames
        .slice(before)
        .map((f) => JSON.parse(f) as { result?: { state?: string; cluster?: string; jobId?: string } });
      jobId = answers.find((m) => m.result?.state === 'submitted' && m.result.cluster === cluster)?.result?.jobId;
      return jobId;
    })
    .toBeTruthy();
  return jobId!;
}

/**
 * The session of this job as listed under this cluster. Both clusters are the same test user on
 * the same home, so each lists every session of that user: the job identifies the session.
 */
function desktopOn(page: Page, cluster: string, jobId: string) {
  return sessionsList(page)
    .getByRole('listitem', { name: new RegExp(` on ${cluster}$`) })
    .filter({ hasText: `Job ${jobId} ·` });
}

test('two clusters at once: a desktop on each, each viewer through its own cluster; one dying leaves the other live', async ({
  page,
  porthole,
  cluster,
}) => {
  standIn = await startLoginNodeStandIn(cluster.stateDir);
  const login2 = cluster.ssh.hosts.find((h) => h.name === 'login2')!;
  const { user, identityFile } = cluster.ssh;
  const { apiFrames } = recordSocketTraffic(page);
  await page.goto(porthole.url);
  await addCluster(page, 'alpha', '127.0.0.1', standIn.port, cluster.ssh.hostKeyFingerprint, user, identityFile);
  await addCluster(page, 'beta', login2.host, login2.port, login2.hostKeyFingerprint, user, identityFile);
  const jobs: Record<string, string> = {};
  try {
    for (const name of ['alpha', 'beta']) jobs[name] = await launchDesktop(page, apiFrames, name);
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    for (const name of ['alpha', 'beta']) {
      await expect(desktopOn(page, name, jobs[name]).getByRole('status', { name: 'State' })).toHaveText('Ready', { timeout: 90_000 });
    }

    // Each viewer draws its own desktop, through its own cluster's connection.
    const viewerStatus = page.getByRole('toolbar', { name: 'Viewer' }).getByRole('status');
    for (const name of ['alpha', 'beta']) {
      await page.getByRole('link', { name: 'Sessions', exact: true }).click();
      await desktopOn(page, name, jobs[name]).getByRole('button', { name: 'Open' }).click();
      await expect(viewerStatus).toHaveText('Connected', { timeout: 30_000 });
      await expect.poll(async () => (await summariseCanvas(desktopCanvas(page))).width, { timeout: 20_000 }).toBeGreaterThan(0);
    }

    // alpha's login node dies with beta's viewer open: beta's viewer stays connected, its cluster live.
    standIn.crash();
    await page.getByRole('link', { name: 'Clusters', exact: true }).click();
    await expect(clusterCard(page, 'alpha').getByText('Offline, reconnecting', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(clusterCard(page, 'beta').getByText('Connected', { exact: true })).toBeVisible();
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    await expect(desktopOn(page, 'alpha', jobs.alpha)).toContainText('Cached, not live: alpha is offline');
    await expect(desktopOn(page, 'beta', jobs.beta).getByRole('status', { name: 'State' })).toHaveText('Ready');
    await desktopOn(page, 'beta', jobs.beta).getByRole('button', { name: 'Open' }).click();
    await expect(viewerStatus).toHaveText('Connected', { timeout: 30_000 });
  } finally {
    for (const job of Object.values(jobs)) await sshRun(`scancel ${job}`);
  }
});
