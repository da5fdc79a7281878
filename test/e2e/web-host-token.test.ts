// The access token of `porthole serve` in the browser: the page takes it out of the address bar
// as soon as it loads, no answer sets a cookie (cookies on 127.0.0.1 reach every local port,
// another user's included), and the app keeps working after a reload, from the token the tab
// kept for its own origin. A tab opened without the printed address says what to open.
import { test, expect } from './fixtures';
import { clusterCard } from './steps';

test('the token leaves the address bar, no cookie is set, and a reload still reaches the Api', async ({ page, context, porthole }) => {
  const token = new URL(porthole.url).searchParams.get('token')!;
  const cookiesSet: string[] = [];
  page.on('response', async (response) => {
    const cookie = await response.headerValue('set-cookie');
    if (cookie) cookiesSet.push(`${response.url()}: ${cookie}`);
  });

  await page.goto(porthole.url);
  await expect(page.getByRole('heading', { name: 'Clusters' })).toBeVisible();
  expect(page.url()).toBe(new URL('/', porthole.url).href);

  await page.reload();
  expect(page.url()).not.toContain(token);
  // An Api call after the reload: the cluster is stored by the host, then listed by it again.
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('after-reload');
  await page.getByRole('textbox', { name: 'Host', exact: true }).fill('127.0.0.1');
  await page.getByRole('button', { name: 'Add cluster' }).click();
  await expect(clusterCard(page, 'after-reload')).toBeVisible();
  await page.reload();
  await expect(clusterCard(page, 'after-reload')).toBeVisible();
  expect(page.url()).not.toContain(token);

  expect(cookiesSet).toEqual([]);
  expect(await context.cookies()).toEqual([]);

  const otherTab = await context.newPage();
  await otherTab.goto(new URL('/', porthole.url).href);
  await expect(otherTab.getByRole('alert')).toContainText('the address that `porthole serve` printed');
  await expect(otherTab.getByRole('heading', { name: 'Clusters' })).toHaveCount(0);
});
