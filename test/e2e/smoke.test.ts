// The app opens from the address `porthole serve` printed, and offers the demo cluster when
// nothing is configured; everything fits a 1024×700 window without scrolling sideways; it is
// dark when the system asks for dark.
import { test, expect } from './fixtures';
import { expectWcagAA } from './accessibility';
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

test('follows the system into dark mode and back', async ({ page, porthole }) => {
  await page.goto(porthole.url);
  const form = page.getByRole('form', { name: 'Add a cluster' });
  await expect(form).toBeVisible();
  /** Relative luminance (0 black to 1 white) of a computed CSS colour. */
  const luminance = (colour: string) => {
    const [r, g, b] = colour
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map((c) => Number(c) / 255);
    const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const colours = async () => {
    const {
      page: pageBg,
      card,
      text,
      field,
    } = await form.evaluate((element) => ({
      page: getComputedStyle(document.documentElement).backgroundColor,
      card: getComputedStyle(element).backgroundColor,
      text: getComputedStyle(element).color,
      field: getComputedStyle(element.querySelector('input')!).backgroundColor,
    }));
    return { page: luminance(pageBg), card: luminance(card), text: luminance(text), field: luminance(field) };
  };

  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await colours();
  expect(dark.page, 'a dark page').toBeLessThan(0.05);
  expect(dark.card, 'dark cards').toBeLessThan(0.05);
  expect(dark.field, 'dark text fields').toBeLessThan(0.05);
  expect(dark.text, 'light text').toBeGreaterThan(0.6);
  await expectWcagAA(page, 'clusters-empty (dark)');

  await page.emulateMedia({ colorScheme: 'light' });
  const light = await colours();
  expect(light.page, 'a light page again').toBeGreaterThan(0.8);
  expect(light.text, 'dark text again').toBeLessThan(0.05);
});
