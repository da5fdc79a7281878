// The app opens from the address `porthole serve` printed, and offers the demo cluster when
// nothing is configured; everything fits a 1024×700 window without scrolling sideways.
import { test, expect } from './fixtures';
import { shot } from './steps';

test('opens with no cluster configured and offers the demo cluster', async ({ page, porthole }, testInfo) => {
  await page.goto(porthole.url);
  await expect(page.getByRole('heading', { name: 'Clusters' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Use the demo cluster' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Add a cluster' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  await shot(page, testInfo, 'clusters-empty');
});

test('a wrong Add cluster field is reported next to it', async ({ page, porthole }) => {
  await page.goto(porthole.url);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('hpc1');
  await page.getByRole('textbox', { name: 'Port', exact: true }).fill('70000');
  await page.getByRole('button', { name: 'Add cluster' }).click();
  await expect(page.getByRole('textbox', { name: 'Host', exact: true })).toHaveAccessibleDescription(/Enter the login node/);
  await expect(page.getByRole('textbox', { name: 'Port', exact: true })).toHaveAccessibleDescription(/1 to 65535/);
  await expect(page.getByRole('list', { name: 'Configured clusters' })).toHaveCount(0);
});

test('is reachable by keyboard, with a visible focus ring', async ({ page, porthole }) => {
  await page.goto(porthole.url);
  await expect(page.getByRole('heading', { name: 'Clusters' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Clusters' })).toBeFocused();
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(ring).not.toBe('none');
  // Through the navigation to the demo cluster button and the form, with Tab alone.
  const reached: string[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    reached.push(
      await page.evaluate(
        () =>
          (document.activeElement as HTMLElement).getAttribute('aria-label') ||
          document.activeElement!.textContent ||
          (document.activeElement as HTMLInputElement).name,
      ),
    );
  }
  expect(reached).toEqual(expect.arrayContaining(['Launch', 'Sessions', 'History', 'Use the demo cluster', 'name', 'host', 'port']));
});
