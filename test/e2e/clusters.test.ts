// Adding the test cluster: it connects at once, its unknown host key is shown with its
// fingerprint and trusted by the person, then the app connects (SSH up and the agent answering).
// The form's errors sit next to their fields and go as soon as a field is put right.
import { test, expect } from './fixtures';
import { addTestCluster, clusterCard, shot, trustAndConnect } from './steps';

test('adding a cluster connects it at once: its unknown host key is shown, and Cancel does not trust it', async ({
  page,
  porthole,
  cluster,
}, testInfo) => {
  await page.goto(porthole.url);
  // No Connect: adding is enough to meet the host key prompt.
  const name = await addTestCluster(page, cluster);
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

test("a field's error goes once it is filled in, while the others keep theirs", async ({ page, porthole }, testInfo) => {
  await page.goto(porthole.url);
  const nameBox = page.getByRole('textbox', { name: 'Name', exact: true });
  const hostBox = page.getByRole('textbox', { name: 'Host', exact: true });
  await page.getByRole('button', { name: 'Add cluster' }).click();
  await expect(nameBox).toHaveAccessibleDescription(/Give the cluster a name/);
  await expect(hostBox).toHaveAccessibleDescription(/Enter the login node/);

  await nameBox.fill('hpc1');
  await expect(nameBox).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/Give the cluster a name/)).toHaveCount(0);
  await expect(hostBox).toHaveAccessibleDescription(/Enter the login node/);
  await shot(page, testInfo, 'clusters-form-errors');

  // A field that shows an error is checked again as it changes: a wrong value gets its own words.
  await hostBox.fill('login node');
  await expect(hostBox).toHaveAccessibleDescription(/A host name has no spaces/);
  await hostBox.fill('login.example.org');
  await expect(hostBox).not.toHaveAttribute('aria-invalid', 'true');
  // A field with no error shown is not scolded while typing.
  await page.getByRole('textbox', { name: 'Port', exact: true }).fill('99999');
  await expect(page.getByRole('textbox', { name: 'Port', exact: true })).not.toHaveAttribute('aria-invalid', 'true');
});
