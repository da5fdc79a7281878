// History is the page's IndexedDB, which belongs to the origin http://127.0.0.1:<port>: it is
// there after a restart only because `porthole serve` takes the same port every run.
import { test, expect } from './fixtures';
import { seedHistory } from './page-probes';
import { pastSessions } from './past-sessions';
import { startPortholeServer } from './porthole-server';
import { toHistoryRecord } from '../../renderer/logic/history-search';

test('porthole serve restarted with its defaults opens the same History', async ({ page, porthole }) => {
  await page.goto(porthole.url);
  await expect(page.getByRole('heading', { name: 'Clusters' })).toBeVisible();
  const [past] = pastSessions(1);
  await page.evaluate(seedHistory, [toHistoryRecord(`${past.cluster}/${past.id}`, past, Date.now())]);
  await porthole.stop();

  const restarted = await startPortholeServer();
  try {
    expect(new URL(restarted.url).port).toBe(new URL(porthole.url).port);
    await page.goto(restarted.url);
    await page.getByRole('link', { name: 'History' }).click();
    await expect(page.getByRole('list', { name: 'History' }).getByRole('listitem')).toHaveCount(1);
    await expect(page.getByRole('list', { name: 'History' }).getByRole('listitem')).toContainText(`job ${past.jobId}`);
  } finally {
    await restarted.stop();
  }
});
