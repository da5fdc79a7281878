// A cluster with two login nodes loses the one it is on while its desktop is open in the viewer
// (issue 19): the clusters view says which login node it moved to, the viewer shows the desktop
// again by itself, and the session stays the same Ready session. login1 is a stand-in (a second
// instance of login1's sshd, test/cluster/main/login-node-stand-in.ts), frozen with SIGSTOP as a
// hung host is, so that the shared login1 never stalls under the other tests.
import { startLoginNodeStandIn, type LoginNodeStandIn } from '../cluster/main/login-node-stand-in';
import { sshRun } from '../cluster/fixture';
import { desktopCanvas, summariseCanvas } from './desktop-canvas';
import { test, expect } from './fixtures';
import { chooseVncDesktop, clusterCard, sessionsList } from './steps';

let standIn: LoginNodeStandIn | undefined;
test.afterEach(async () => {
  await standIn?.stop();
});

test('login1 stops answering with a desktop open: the app moves to login2, says so, and the viewer shows the desktop again', async ({
  page,
  porthole,
  cluster,
}) => {
  standIn = await startLoginNodeStandIn(cluster.stateDir);
  const login1 = `127.0.0.1:${standIn.port}`;
  const login2 = cluster.ssh.hosts.find((h) => h.name === 'login2')!;
  await page.goto(porthole.url);
  await page.getByRole('link', { name: 'Clusters', exact: true }).click();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('hpc');
  await page.getByRole('textbox', { name: 'Host', exact: true }).fill(`${login1}, ${login2.host}:${login2.port}`);
  await page.getByRole('textbox', { name: 'User', exact: true }).fill(cluster.ssh.user);
  await page.getByRole('textbox', { name: 'Identity file' }).fill(cluster.ssh.identityFile);
  await page.getByRole('button', { name: 'Add cluster' }).click();
  const hostKey = page.getByRole('dialog', { name: 'Unknown host key' });
  await expect(hostKey).toContainText('127.0.0.1', { timeout: 60_000 });
  await expect(hostKey.getByLabel('Fingerprint')).toContainText(cluster.ssh.hostKeyFingerprint);
  await hostKey.getByRole('button', { name: 'Trust' }).click();
  const card = clusterCard(page, 'hpc');
  await expect(card).toContainText(`${login1}, ${login2.host}:${login2.port}`);
  await expect(card.getByText(`Connected to login node ${login1}`, { exact: true })).toBeVisible({ timeout: 120_000 });

  let jobId: string | undefined;
  try {
    await chooseVncDesktop(page);
    await page.getByRole('button', { name: 'Launch', exact: true }).click();
    const newest = sessionsList(page).getByRole('listitem').first();
    await expect(newest.getByRole('status', { name: 'State' })).toHaveText('Ready', { timeout: 90_000 });
    jobId = ((await newest.textContent()) ?? '').match(/Job (\d+)/)?.[1];
    expect(jobId).toBeTruthy();
    const item = sessionsList(page)
      .getByRole('listitem')
      .filter({ hasText: `Job ${jobId} ·` });
    await item.getByRole('button', { name: 'Open' }).click();
    const viewerStatus = page.getByRole('toolbar', { name: 'Viewer' }).getByRole('status');
    await expect(viewerStatus).toHaveText('Connected', { timeout: 30_000 });
    const canvas = desktopCanvas(page);
    await expect.poll(async () => (await summariseCanvas(canvas)).width, { timeout: 20_000 }).toBeGreaterThan(0);

    standIn.freeze();
    // The viewer notices the drop and reconnects by itself; login2's host key is asked about by its own address.
    await expect(viewerStatus).toHaveText(/^Reconnecting/, { timeout: 20_000 });
    await expect(hostKey).toContainText(login2.host, { timeout: 20_000 });
    await expect(hostKey.getByLabel('Fingerprint')).toContainText(login2.hostKeyFingerprint);
    await hostKey.getByRole('button', { name: 'Trust' }).click();
    await expect(viewerStatus).toHaveText('Connected', { timeout: 30_000 });
    await expect.poll(async () => (await summariseCanvas(canvas)).width, { timeout: 20_000 }).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'Clusters', exact: true }).click();
    await expect(card.getByText(`Connected to login node ${login2.host}:${login2.port}`, { exact: true })).toBeVisible();
    await page.getByRole('link', { name: 'Sessions', exact: true }).click();
    await expect(item.getByRole('status', { name: 'State' })).toHaveText('Ready');
  } finally {
    if (jobId) await sshRun(`scancel ${jobId}`);
  }
});
