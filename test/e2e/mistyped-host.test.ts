// A new user's typo in Host: the first connection stops and says what to check, instead of
// retrying a raw Node error for ever.
import { test, expect } from './fixtures';
import { clusterCard, shot } from './steps';

test('a new cluster whose host does not resolve stops trying and says to check the host and the VPN', async ({
  page,
  porthole,
}, testInfo) => {
  await page.goto(porthole.url);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('typo');
  await page.getByRole('textbox', { name: 'Host', exact: true }).fill('no-such-host.invalid');
  await page.getByRole('textbox', { name: 'User', exact: true }).fill('alice');
  await page.getByRole('button', { name: 'Add cluster' }).click();

  const card = clusterCard(page, 'typo');
  await expect(card.getByText('Offline, could not connect')).toBeVisible();
  await expect(card).toContainText("the host name 'no-such-host.invalid' does not resolve");
  await expect(card).toContainText("Check the cluster's Host for a typo");
  await expect(card).toContainText('VPN');
  await shot(page, testInfo, 'clusters-mistyped-host');
  // It stays stopped: no countdown to another attempt appears.
  await page.waitForTimeout(3000);
  await expect(card.getByText('Offline, could not connect')).toBeVisible();
  await expect(card.getByText(/Next attempt/)).toHaveCount(0);
});
