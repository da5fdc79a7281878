// An identity file protected by a passphrase: the app asks for it in a dialog naming the key.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { addTestCluster, clusterCard, shot } from './steps';

test('asks for the passphrase of an encrypted identity file', async ({ page, porthole, cluster }, testInfo) => {
  // A key of this workstation that the cluster does not know: the passphrase is asked before
  // the server can refuse it.
  const keyFile = join(porthole.home, 'id_ed25519_locked');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'correct horse', '-f', keyFile]);
  await page.goto(porthole.url);
  const name = await addTestCluster(page, { ...cluster, ssh: { ...cluster.ssh, identityFile: keyFile } });
  const hostKey = page.getByRole('dialog', { name: 'Unknown host key' });
  const passphrase = page.getByRole('dialog', { name: 'Passphrase' });
  await expect(hostKey.or(passphrase)).toBeVisible({ timeout: 60_000 });
  if (await hostKey.isVisible()) await hostKey.getByRole('button', { name: 'Trust' }).click();
  await expect(passphrase).toContainText(keyFile);
  await shot(page, testInfo, 'clusters-passphrase');
  await passphrase.getByLabel('Passphrase').fill('correct horse');
  await passphrase.getByRole('button', { name: 'Submit' }).click();
  await expect(passphrase).toHaveCount(0);
  // The cluster does not accept this key; it offers a password next, which the person declines,
  // and the app says it could not connect instead of hanging.
  const password = page.getByRole('dialog', { name: 'Password' });
  const failed = clusterCard(page, name).getByText(/could not connect|reconnecting/i);
  await expect(password.or(failed)).toBeVisible({ timeout: 60_000 });
  if (await password.isVisible()) await password.getByRole('button', { name: 'Cancel' }).click();
  await expect(failed).toBeVisible({ timeout: 60_000 });
  await expect(clusterCard(page, name).getByText('Connected', { exact: true })).toHaveCount(0);
});
