// History stays usable with 10,000 cached sessions: virtualised rows, a search, the usage chart.
import { test, expect } from './fixtures';
import { seedHistory } from './page-probes';
import { pastSessions } from './past-sessions';
import { shot } from './steps';
import { toHistoryRecord } from '../../renderer/logic/history-search';

test('lists 10,000 cached sessions, searches them, and charts the hours', async ({ page, porthole }, testInfo) => {
  await page.goto(porthole.url);
  await expect(page.getByRole('heading', { name: 'Clusters' })).toBeVisible();
  const records = pastSessions(10_000).map((s) => toHistoryRecord(`${s.cluster}/${s.id}`, s, Date.now()));
  await page.evaluate(seedHistory, records);
  await page.reload();

  await page.getByRole('link', { name: 'History' }).click();
  await expect(page.getByText(/10000 sessions\./)).toBeVisible();
  const history = page.getByRole('list', { name: 'History' });
  await expect(history.getByRole('listitem').first()).toBeVisible();
  expect(await history.getByRole('listitem').count()).toBeLessThan(60);
  await expect(page.getByRole('figure', { name: 'Usage: hours per week per cluster' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  await shot(page, testInfo, 'history-10000');

  // The newest session is first; the oldest is reachable by scrolling the list, from the keyboard too.
  await expect(history.getByRole('listitem').first()).toContainText('GPU desktop');
  await page.getByRole('region', { name: 'History list, scrollable' }).focus();
  await page.keyboard.press('End');
  await expect(history.locator('li[aria-posinset="10000"]')).toBeInViewport();
  await page.getByRole('searchbox', { name: 'Search history' }).fill('h0 completed');
  await expect(page.getByText(/^\d+ match/)).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search history' }).fill('100007');
  await expect(history.getByRole('listitem')).toHaveCount(1);
  await expect(history.getByRole('listitem')).toContainText('job 100007');
  await shot(page, testInfo, 'history-search');
});
