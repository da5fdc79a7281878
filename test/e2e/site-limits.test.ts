// A site's limit reaches the launch form: the agent the app starts on the login node reads a
// site.json that lowers the terminal's hours, and the form offers no more than that. The app
// connects through an sshd of this test's own (the same login node, Slurm and home) whose
// SetEnv points the agent at the test's site.json: /etc/porthole is the machine's, shared by
// every test, and the shared sshd passes no variables.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { test, expect } from './fixtures';
import { clusterCard } from './steps';
import { startPrivateSshd, type PrivateSshd } from '../cluster/main/private-sshd';

let sshd: PrivateSshd | undefined;

test.afterEach(async () => {
  await sshd?.stop();
});

test("the launch form's hours follow site.json's override of the template", async ({ page, porthole, cluster }) => {
  sshd = await startPrivateSshd({
    hostKeyTypes: ['ed25519'],
    // The login user reads its authorized_keys and the site.json in this folder.
    prepare: (dir) => {
      chmodSync(dir, 0o755);
      writeFileSync(join(dir, 'site.json'), JSON.stringify({ overrides: { xterm: { fields: { hours: { max: 3, default: 0.5 } } } } }), {
        mode: 0o644,
      });
    },
    extraConfig: [
      `AllowUsers ${cluster.ssh.user}`,
      `Subsystem sftp internal-sftp`,
      `SetEnv SLURM_CONF=${cluster.slurm.conf} LC_ALL=C PORTHOLE_SITE_FILE={dir}/site.json`,
    ],
  });
  const fingerprint = `SHA256:${createHash('sha256').update(sshd.hostKeyBlob('host_ed25519')).digest('base64').replace(/=+$/, '')}`;

  await page.goto(porthole.url);
  await page.getByRole('link', { name: 'Clusters' }).click();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('site');
  await page.getByRole('textbox', { name: 'Host', exact: true }).fill('127.0.0.1');
  await page.getByRole('textbox', { name: 'User', exact: true }).fill(cluster.ssh.user);
  await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(sshd.port));
  await page.getByRole('textbox', { name: 'Identity file' }).fill(sshd.userKeyFile);
  await page.getByRole('button', { name: 'Add cluster' }).click();
  const dialog = page.getByRole('dialog', { name: 'Unknown host key' });
  await expect(dialog.getByLabel('Fingerprint')).toContainText(fingerprint, { timeout: 60_000 });
  await dialog.getByRole('button', { name: 'Trust' }).click();
  await expect(clusterCard(page, 'site').getByText('Connected', { exact: true })).toBeVisible({ timeout: 120_000 });

  await page.getByRole('link', { name: 'Launch' }).click();
  await page
    .getByRole('list', { name: 'Templates' })
    .getByRole('button', { name: /terminal/i })
    .first()
    .click();
  const hours = page.getByRole('form', { name: /^Launch / }).getByRole('spinbutton', { name: /Hours/i });
  await expect(hours).toHaveAttribute('max', '3');
  await expect(hours).toHaveValue('0.5');
  await hours.fill('4');
  await expect(hours).toHaveAccessibleDescription(/at most 3/);
});
