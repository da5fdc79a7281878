// The viewer's toolbar and its behaviour over a real link: scaling (fit, 1:1, and resizing the
// remote X screen to the window), Quality with its WAN defaults, Fullscreen, reconnecting by
// itself after the link drops, the VNC password kept out of the DOM and every URL, and the
// desktop notifications (ready, then 10 minutes before the session's time ends).
import type { Locator, Page } from '@playwright/test';
import { desktopCanvas, summariseCanvas } from './desktop-canvas';
import { test, expect } from './fixtures';
import { recordSocketTraffic } from './socket-traffic';
import { notificationTitles, observeNotifications } from './notifications';
import { displayOfJob, screenSize, startXterm, XTERM_AREA } from './remote-x';
import { addTestCluster, launchAndReadJobId, chooseVncDesktop, sessionsList, shot, trustAndConnect } from './steps';
import { startTcpForwarder } from './tcp-forwarder';
import { sshRun } from '../cluster/fixture';

/** The size the page gives a box, rounded to whole CSS pixels. */
async function boxSize(page: Page, name: 'canvas' | 'region'): Promise<{ width: number; height: number }> {
  const locator = name === 'canvas' ? desktopCanvas(page) : page.getByRole('region', { name: 'Desktop', exact: true });
  const box = await locator.boundingBox();
  if (!box) throw new Error(`The ${name} is not on screen`);
  return { width: Math.round(box.width), height: Math.round(box.height) };
}

function pageScrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

test('the viewer scales, resizes the remote screen, sets quality, goes fullscreen, reconnects by itself and notifies', async ({
  page,
  porthole,
  cluster,
}, testInfo) => {
  const { apiFrames, socketUrls } = recordSocketTraffic(page);
  await observeNotifications(page);
  // The page's clock runs as usual until the test moves it on, to near the session's end.
  await page.clock.install();
  // The SSH link goes through a forwarder the test can cut, as a flaky network would.
  const forwarder = await startTcpForwarder(cluster.ssh.host, cluster.ssh.port);
  let jobId: string | undefined;
  let xterm: ReturnType<typeof startXterm> | undefined;
  try {
    await page.goto(porthole.url);
    const name = await addTestCluster(page, cluster, { name: 'viewer', port: forwarder.port });
    await trustAndConnect(page, cluster, name);

    let item: Locator;
    let toolbar: Locator;
    let status: Locator;
    let display: string;
    let scaling: Locator;
    await test.step('launch a 1280 × 800 desktop: it gets ready and says so in a notification', async () => {
      await chooseVncDesktop(page);
      const form = page.getByRole('form', { name: /^Launch / });
      await form.getByRole('spinbutton', { name: /Hours/ }).fill('0.25');
      await form.getByRole('combobox', { name: 'Screen size' }).selectOption({ label: '1280 × 800' });
      jobId = await launchAndReadJobId(page);
      item = sessionsList(page)
        .getByRole('listitem')
        .filter({ hasText: `Job ${jobId} ·` });
      await expect(item.getByRole('status', { name: 'State' })).toHaveText('Ready', { timeout: 60_000 });
      await expect.poll(() => notificationTitles(page)).toContainEqual(expect.stringMatching(/is ready$/));
    });

    await test.step('Open: connected, and the remote X screen is 1280 × 800', async () => {
      await item.getByRole('button', { name: 'Open' }).click();
      toolbar = page.getByRole('toolbar', { name: 'Viewer' });
      status = toolbar.getByRole('status');
      await expect(status).toHaveText('Connected', { timeout: 30_000 });
      await expect.poll(async () => (await summariseCanvas(desktopCanvas(page))).width, { timeout: 20_000 }).toBe(1280);
      display = await displayOfJob(jobId!);
      expect(await screenSize(jobId!, display)).toBe('1280x800');
    });

    await test.step('Fit to window (the default) draws the desktop smaller, inside the region', async () => {
      // Fit to window (the default): the whole 1280×800 desktop is drawn smaller, inside the region.
      scaling = toolbar.getByRole('combobox', { name: 'Scaling' });
      await expect(scaling).toHaveValue('fit');
      const region = await boxSize(page, 'region');
      await expect.poll(async () => (await boxSize(page, 'canvas')).width).toBeLessThanOrEqual(region.width);
      expect((await boxSize(page, 'canvas')).width).toBeLessThan(1280);
      expect(await pageScrollsSideways(page)).toBe(false);
      await shot(page, testInfo, 'viewer-fit');
    });

    await test.step('1:1 draws one remote pixel per page pixel; the region scrolls, never the page', async () => {
      // 1:1: one remote pixel per page pixel; the region scrolls, never the page.
      await scaling.selectOption({ label: '1:1' });
      await expect.poll(async () => (await boxSize(page, 'canvas')).width).toBe(1280);
      expect(await pageScrollsSideways(page)).toBe(false);
      await shot(page, testInfo, 'viewer-one-to-one');
    });

    await test.step("Resize remote desktop gives the X screen the region's size", async () => {
      // Resize remote desktop: the X screen on node01 takes the size of the region.
      await scaling.selectOption({ label: 'Resize remote desktop' });
      // The remote screen gets the region's size in whole pixels (noVNC rounds down).
      const regionNow = await page.getByRole('region', { name: 'Desktop', exact: true }).evaluate((element) => {
        const box = element.getBoundingClientRect();
        return { width: Math.floor(box.width), height: Math.floor(box.height) };
      });
      await expect.poll(() => screenSize(jobId!, display), { timeout: 20_000 }).toBe(`${regionNow.width}x${regionNow.height}`);
      await expect.poll(async () => (await summariseCanvas(desktopCanvas(page))).width).toBe(regionNow.width);
      await shot(page, testInfo, 'viewer-resized-remote');
    });

    await test.step('Quality sets JPEG quality and compression, from the WAN defaults', async () => {
      // Quality: JPEG quality and compression, starting at the WAN defaults.
      await toolbar.getByRole('button', { name: 'Quality' }).click();
      const quality = page.getByRole('group', { name: 'Quality' });
      const jpeg = quality.getByRole('slider', { name: /JPEG quality/ });
      const compression = quality.getByRole('slider', { name: /Compression/ });
      await expect(jpeg).toHaveValue('5');
      await expect(compression).toHaveValue('6');
      await jpeg.fill('9');
      await compression.fill('1');
      await expect(quality.getByText('JPEG quality (0 smallest – 9 best): 9')).toBeVisible();
      await expect(status).toHaveText('Connected');
      await shot(page, testInfo, 'viewer-quality');
      await quality.getByRole('button', { name: 'Reset to WAN defaults' }).click();
      await expect(jpeg).toHaveValue('5');
      await expect(compression).toHaveValue('6');
      await toolbar.getByRole('button', { name: 'Quality' }).click();
    });

    await test.step('Fullscreen fills the screen, and the same button brings it back', async () => {
      // Fullscreen: the viewer fills the screen, and the same button brings it back.
      await toolbar.getByRole('button', { name: 'Fullscreen' }).click();
      await expect.poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('aria-label') ?? '')).toMatch(/^Viewer: /);
      await toolbar.getByRole('button', { name: 'Fullscreen' }).click();
      await expect.poll(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);
    });

    await test.step('the link drops: the viewer says it reconnects, then shows the live desktop by itself', async () => {
      // The link drops: the viewer says it is reconnecting, then shows the desktop again by itself.
      forwarder.cut();
      await expect(status).toHaveText(/^Reconnecting/, { timeout: 30_000 });
      await shot(page, testInfo, 'viewer-reconnecting');
      await expect(status).toHaveText('Connected', { timeout: 90_000 });
      // Live again, not a stale picture: a window opened now shows up on the canvas, where it opens.
      const before = await summariseCanvas(desktopCanvas(page), XTERM_AREA);
      xterm = startXterm(jobId!, display, 'after-reconnect');
      await expect
        .poll(async () => (await summariseCanvas(desktopCanvas(page), XTERM_AREA)).hash, { timeout: 20_000 })
        .not.toBe(before.hash);
      await shot(page, testInfo, 'viewer-reconnected');
    });

    await test.step('the VNC password is in no DOM and no URL', async () => {
      // The VNC password reached the page (answers to sessions.viewerUrl) but no DOM and no URL.
      const passwords = new Set(
        apiFrames.map((f) => (JSON.parse(f) as { result?: { password?: string } }).result?.password).filter((p): p is string => !!p),
      );
      expect(passwords.size).toBeGreaterThan(0);
      const html = await page.content();
      for (const password of passwords) {
        expect(html).not.toContain(password);
        expect(page.url()).not.toContain(password);
        for (const url of socketUrls) expect(url).not.toContain(password);
      }
    });

    await test.step("ten minutes before the session's time ends, a notification", async () => {
      // Ten minutes before its time ends (15 min asked; the clock moved on 5½ min), a notification.
      await page.clock.fastForward('05:30');
      await expect
        .poll(() => notificationTitles(page), { timeout: 30_000 })
        .toContainEqual(expect.stringMatching(/ ends in (10|[1-9]) min$/));
      await page.getByRole('link', { name: 'Sessions' }).click();
      await shot(page, testInfo, 'sessions-ending-soon');
    });
  } finally {
    xterm?.stop();
    if (jobId) await sshRun(`scancel ${jobId}`);
    await forwarder.stop();
  }
});
