// Adding the test cluster: its unknown host key is shown with its fingerprint and trusted by
// the person, then the app connects (SSH up and the agent answering).
import { test, expect } from './fixtures';
import { addTestCluster, clusterCard, shot, trustAndConnect } from './steps';

test('shows an unknown host key with its fingerprint, and Cancel does not trust it', async ({ page, porthole, cluster }, testInfo) => {
  await page.goto(porthole.url);
  const name = await addTestCluster(page, cluster);
  await clusterCard(page, name).getByRole('button', { name: 'Connect' }).click();
  const dialog = page.getByRole('dialog', { name: 'Unknown host key' });
  await expect(dialog.getByLabel('Fingerprint')).toContainText(cluster.ssh.hostKeyFingerprint, { timeout: 60_000 });
  await expect(dialog.getByRole('button', { name: 'Trust' })).toBeVisible();
  await shot(page, testInfo, 'clusters-unknown-host-key');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(clusterCard(page, name).getByText(/could not connect|Not connected/)).toBeVisible();
  await expect(clusterCard(page, name).getByText('Connected', { exact: true })).toHaveCount(0);

  // Asked again on the next attempt: a refused key is not remembered as trusted.
  await clusterCard(page, name).getByRole('button', { name: 'Connect' }).click();
  await expect(dialog).toBeVisible({ timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

test('adds the test cluster, trusts its host key and connects', async ({ page, porthole, cluster }, testInfo) => {
  await page.goto(porthole.url);
  const name = await addTestCluster(page, cluster);
  await trustAndConnect(page, cluster, name, testInfo);
  await shot(page, testInfo, 'clusters-connected');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);

  // A second window (or a reload) sees the same live state: the host pushes it on connect.
  await page.reload();
  await page.getByRole('link', { name: 'Clusters' }).click();
  await expect(clusterCard(page, name).getByText('Connected', { exact: true })).toBeVisible();

  await clusterCard(page, name).getByRole('button', { name: 'Disconnect' }).click();
  await expect(clusterCard(page, name).getByText('Not connected', { exact: true })).toBeVisible();
  await clusterCard(page, name).getByRole('button', { name: 'Remove' }).click();
  await page
    .getByRole('dialog', { name: `Remove cluster ${name}?` })
    .getByRole('button', { name: 'Remove cluster' })
    .click();
  await expect(clusterCard(page, name)).toHaveCount(0);
});
