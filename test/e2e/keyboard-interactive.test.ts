// A cluster that signs in with keyboard-interactive (a password or a 2FA code): the server's
// own prompt text is shown in a dialog, and the answer goes back with Submit.
import { test, expect } from './fixtures';
import { clusterCard, shot } from './steps';

test("asks the server's keyboard-interactive question and signs in with the answer", async ({ page, porthole, cluster }, testInfo) => {
  const kbd = cluster.keyboardInteractive;
  await page.goto(porthole.url);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('kbd');
  await page.getByRole('textbox', { name: 'Host', exact: true }).fill(kbd.host);
  await page.getByRole('textbox', { name: 'User', exact: true }).fill(kbd.user);
  await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(kbd.port));
  await page.getByRole('button', { name: 'Add cluster' }).click();
  await page.getByRole('dialog', { name: 'Unknown host key' }).getByRole('button', { name: 'Trust' }).click();

  const dialog = page.getByRole('dialog').filter({ has: page.getByRole('button', { name: 'Submit' }) });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  const answer = dialog.getByLabel(/password/i);
  await expect(answer).toHaveAttribute('type', 'password');
  await shot(page, testInfo, 'clusters-keyboard-interactive');
  for (const response of kbd.responses) {
    await answer.fill(response);
    await dialog.getByRole('button', { name: 'Submit' }).click();
  }
  await expect(dialog).toHaveCount(0);
  await expect(clusterCard(page, 'kbd').getByText('Connected', { exact: true })).toBeVisible({ timeout: 120_000 });
});
