// A host key that differs from the one Porthole trusted before is a warning with no way to
// accept it from the app.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { addTestCluster, clusterCard, shot } from './steps';

test('warns about a changed host key and offers no way to accept it', async ({ page, porthole, cluster }, testInfo) => {
  // Porthole "trusted" another key for this address before: the compute node's, for instance.
  const otherKey = readFileSync(cluster.ssh.knownHostsFile, 'utf8')
    .split('\n')
    .find((line) => line.startsWith('node01 '))!
    .split(' ')
    .slice(1)
    .join(' ');
  const portholeHome = join(porthole.home, 'porthole');
  mkdirSync(portholeHome, { recursive: true });
  writeFileSync(join(portholeHome, 'known_hosts'), `[${cluster.ssh.host}]:${cluster.ssh.port} ${otherKey}\n`);

  await page.goto(porthole.url);
  const name = await addTestCluster(page, cluster);
  await clusterCard(page, name).getByRole('button', { name: 'Connect' }).click();
  const warning = page.getByRole('alertdialog', { name: 'Warning: the host key has changed' });
  await expect(warning).toBeVisible({ timeout: 60_000 });
  await expect(warning).toContainText(cluster.ssh.hostKeyFingerprint);
  await expect(warning.getByRole('button', { name: 'Trust' })).toHaveCount(0);
  await shot(page, testInfo, 'clusters-host-key-changed');
  await warning.getByRole('button', { name: 'Close' }).click();
  await expect(clusterCard(page, name).getByText('Connected', { exact: true })).toHaveCount(0);
  await expect(clusterCard(page, name)).toContainText(/changed/i);
});
