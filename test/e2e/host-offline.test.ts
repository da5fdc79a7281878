// When Porthole's own host stops answering, the page says it is offline (and retries), and
// History keeps showing what this computer cached, marked as cached.
import { test, expect } from './fixtures';
import { seedHistory } from './page-probes';
import { pastSessions } from './past-sessions';
import { shot } from './steps';
import { toHistoryRecord } from '../../renderer/logic/history-search';

test('says offline when the host stops, and History still lists the cached sessions', async ({ page, porthole }, testInfo) => {
  await page.goto(porthole.url);
  await expect(page.getByRole('heading', { name: 'Clusters' })).toBeVisible();
  const records = pastSessions(3).map((s) => toHistoryRecord(`${s.cluster}/${s.id}`, s, Date.now()));
  await page.evaluate(seedHistory, records);
  await page.reload();
  await page.getByRole('link', { name: 'History' }).click();
  const history = page.getByRole('list', { name: 'History' });
  await expect(history.getByRole('listitem')).toHaveCount(3);

  await porthole.stop();
  const banner = page.getByRole('status').filter({ hasText: 'Offline.' });
  await expect(banner).toContainText("Porthole's host does not answer");
  await expect(banner).toContainText('cached on this computer, not live');
  await expect(history.getByRole('listitem')).toHaveCount(3);
  await expect(history.getByRole('listitem').first()).toContainText('Ended — completed');
  await shot(page, testInfo, 'history-host-offline');

  // Actions that need the host fail at once with words, instead of hanging.
  await page.getByRole('link', { name: 'Clusters' }).click();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('hpc1');
  await page.getByRole('textbox', { name: 'Host', exact: true }).fill('login.example.org');
  await page.getByRole('button', { name: 'Add cluster' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /Offline: Porthole's host does not answer/ })).toBeVisible();
});
