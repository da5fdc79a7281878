// Sharing a desktop view-only, as two people do it: the owner (the test cluster's `porthole`, in
// one `porthole serve`) shares a running desktop with `porthole-colleague`, who opens the link in
// their own Porthole (a second `porthole serve`, its own PORTHOLE_HOME and clusters, their own
// key), sees the desktop live, and cannot change it with clicks or keys; the owner sees them
// watching; after Stop sharing the colleague's viewer closes saying why and the link opens
// nothing any more.
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { sshRun } from '../cluster/fixture';
import { desktopCanvas, pagePoint, summariseCanvas } from './desktop-canvas';
import { test, expect } from './fixtures';
import { startPortholeServer, type PortholeServer } from './porthole-server';
import { displayOfJob, startXterm, XTERM_AREA } from './remote-x';
import { addTestCluster, launchAndReadJobId, sessionsList, shot, trustAndConnect } from './steps';

/** The colleague's own Porthole: a web host of their own, in a browser context of their own. */
async function colleaguesPorthole(browser: Browser): Promise<{ server: PortholeServer; context: BrowserContext; page: Page }> {
  const server = await startPortholeServer();
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
  return { server, context, page: await context.newPage() };
}

/** The bytes of `file` in the owner's home, in hex ("" when it is empty). */
async function ownersBytes(file: string): Promise<string> {
  const result = await sshRun(`od -An -tx1 ~/${file} 2>/dev/null`);
  return result.stdout.trim().replace(/\s+/g, ' ');
}

test('a desktop shared view-only: the colleague sees it live, their input changes nothing, Stop sharing cuts them off', async ({
  page,
  porthole,
  cluster,
  browser,
}, testInfo) => {
  // Two hosts, two sign-ins and a launch on a shared two-core machine.
  test.setTimeout(480_000);
  const marker = `e2e-share-${Date.now()}`;
  const colleague = await colleaguesPorthole(browser);
  let jobId: string | undefined;
  let xterm: ReturnType<typeof startXterm> | undefined;
  try {
    const watcherPage = colleague.page;
    let link = '';
    let ownerItem: Locator;

    await test.step('both sign in, each to their own account on the same cluster', async () => {
      await page.goto(porthole.url);
      await trustAndConnect(page, cluster, await addTestCluster(page, cluster, { name: 'test' }));
      await watcherPage.goto(colleague.server.url);
      // The colleague's name for the cluster is not the owner's: the link names Slurm's ClusterName.
      const name = await addTestCluster(watcherPage, cluster, {
        name: 'uni',
        user: cluster.colleague.user,
        identityFile: cluster.colleague.identityFile,
      });
      await trustAndConnect(watcherPage, cluster, name);
    });

    await test.step('the owner launches a desktop and shares it, the user name checked first', async () => {
      await page.getByRole('link', { name: 'Launch' }).click();
      await page
        .getByRole('list', { name: 'Templates' })
        .getByRole('button', { name: /^Terminal/ })
        .click();
      jobId = await launchAndReadJobId(page);
      ownerItem = sessionsList(page)
        .getByRole('listitem')
        .filter({ hasText: `Job ${jobId} ·` });
      await expect(ownerItem.getByRole('status', { name: 'State' })).toHaveText('Ready', { timeout: 60_000 });
      await ownerItem.getByRole('button', { name: 'Share' }).click();
      const dialog = page.getByRole('dialog', { name: /^Share / });
      await expect(dialog.getByRole('combobox', { name: 'Link works for' })).toHaveValue('480');
      await dialog.getByRole('textbox', { name: 'Colleague’s user name' }).fill('Porthole Colleague');
      await dialog.getByRole('button', { name: 'Share' }).click();
      await expect(dialog).toContainText('"Porthole Colleague" is not a user name on the cluster');
      await dialog.getByRole('textbox', { name: 'Colleague’s user name' }).fill(cluster.colleague.user);
      await dialog.getByRole('button', { name: 'Share' }).click();
      const shared = page.getByRole('dialog', { name: new RegExp(`is shared with ${cluster.colleague.user}$`) });
      const linkBox = shared.getByRole('textbox', { name: 'Share link' });
      await expect(linkBox).toHaveValue(/^porthole:\/\/share\/1\//, { timeout: 30_000 });
      link = await linkBox.inputValue();
      await shared.getByRole('button', { name: 'Copy' }).click();
      await expect(shared.getByRole('status')).toContainText('Copied');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
      await shot(page, testInfo, 'share-link');
      await shared.getByRole('button', { name: 'Done' }).click();
      await expect(ownerItem.getByRole('list', { name: 'Shared view-only with' })).toContainText(cluster.colleague.user);
    });

    const watcherCanvas = desktopCanvas(watcherPage);
    await test.step('the colleague pastes the link, sees what it is, opens it and sees the desktop', async () => {
      await watcherPage.getByRole('link', { name: 'Sessions' }).click();
      await watcherPage.getByRole('button', { name: 'Open a shared desktop' }).click();
      const dialog = watcherPage.getByRole('dialog', { name: 'Open a shared desktop' });
      await dialog.getByRole('textbox', { name: 'Share link or code' }).fill(link);
      await expect(dialog).toContainText(`${cluster.ssh.user}'s desktop on cluster`);
      await expect(dialog).toContainText(`shared with ${cluster.colleague.user}; expires in 7 h 5`);
      await dialog.getByRole('button', { name: 'Open' }).click();
      const toolbar = watcherPage.getByRole('toolbar', { name: 'Shared desktop' });
      await expect(toolbar).toContainText(`View only — ${cluster.ssh.user}'s desktop`);
      await expect(toolbar.getByRole('status')).toHaveText('Watching', { timeout: 30_000 });
      await expect.poll(async () => (await summariseCanvas(watcherCanvas)).colours, { timeout: 20_000 }).toBeGreaterThan(1);
    });

    await test.step('the owner sees the colleague watching', async () => {
      await expect(ownerItem.getByRole('status', { name: `Watching: ${cluster.colleague.user}` })).toHaveText(
        new RegExp(`^${cluster.colleague.user} is watching \\(since `),
        { timeout: 20_000 },
      );
      await shot(page, testInfo, 'share-watched');
    });

    let ownerCanvas: Locator;
    await test.step('a window the owner opens appears on the colleague’s screen too', async () => {
      await ownerItem.getByRole('button', { name: 'Open' }).click();
      await expect(page.getByRole('toolbar', { name: 'Viewer' }).getByRole('status')).toHaveText('Connected', { timeout: 30_000 });
      ownerCanvas = desktopCanvas(page);
      await expect.poll(async () => (await summariseCanvas(ownerCanvas)).width, { timeout: 20_000 }).toBeGreaterThan(0);
      const before = await summariseCanvas(watcherCanvas, XTERM_AREA);
      xterm = startXterm(jobId!, await displayOfJob(jobId!), 'porthole-share');
      await expect.poll(async () => (await summariseCanvas(watcherCanvas, XTERM_AREA)).hash, { timeout: 20_000 }).not.toBe(before.hash);
      // The owner's shell now waits for one byte and writes it to a file: a key that reaches the desktop lands there.
      const inXterm = await pagePoint(ownerCanvas, 200, 150);
      await page.mouse.click(inXterm.x, inXterm.y);
      await page.keyboard.type(`clear; stty -icanon -echo; head -c 1 > ~/${marker}; stty sane; echo done\n`, { delay: 20 });
      await page.waitForTimeout(1500);
      await shot(watcherPage, testInfo, 'share-viewer');
    });

    await test.step('the colleague’s clicks, drags and keys change nothing on the desktop', async () => {
      const ownerBefore = await summariseCanvas(ownerCanvas, XTERM_AREA);
      const watcherBefore = await summariseCanvas(watcherCanvas, XTERM_AREA);
      const from = await pagePoint(watcherCanvas, 30, 50);
      const to = await pagePoint(watcherCanvas, 400, 60);
      // A drag across the xterm's text would select (invert) it; a click would place the pointer.
      await watcherPage.mouse.move(from.x, from.y);
      await watcherPage.mouse.down();
      await watcherPage.mouse.move(to.x, to.y, { steps: 5 });
      await watcherPage.mouse.up();
      await watcherPage.mouse.click(to.x, to.y);
      // The keys go to the desktop's canvas, as they would in the owner's viewer.
      await watcherCanvas.focus();
      await watcherPage.keyboard.type('xyz\n', { delay: 20 });
      await watcherPage.keyboard.press('Control+c');
      await watcherPage.waitForTimeout(2000);
      expect(await ownersBytes(marker), 'no key of the colleague reached the waiting shell').toBe('');
      expect((await summariseCanvas(ownerCanvas, XTERM_AREA)).hash, 'the owner’s screen is as it was').toBe(ownerBefore.hash);
      expect((await summariseCanvas(watcherCanvas, XTERM_AREA)).hash, 'the colleague’s screen is as it was').toBe(watcherBefore.hash);
      // The owner's own key does reach it: the shell was listening all along.
      await page.keyboard.press('q');
      await expect.poll(() => ownersBytes(marker), { timeout: 15_000 }).toBe('71');
    });

    await test.step('Stop sharing closes the colleague’s viewer, saying why, and the link opens nothing any more', async () => {
      await page.getByRole('link', { name: 'Sessions' }).click();
      await ownerItem.getByRole('button', { name: 'Stop sharing' }).click();
      await expect(ownerItem.getByRole('list', { name: 'Shared view-only with' })).toHaveCount(0, { timeout: 20_000 });
      const toolbar = watcherPage.getByRole('toolbar', { name: 'Shared desktop' });
      await expect(toolbar.getByRole('status')).toHaveText('Closed', { timeout: 20_000 });
      const why = watcherPage.getByRole('alert');
      await expect(why).toContainText(/stopped/i);
      await shot(watcherPage, testInfo, 'share-stopped');
      await toolbar.getByRole('button', { name: 'Close' }).click();
      await watcherPage.getByRole('button', { name: 'Open a shared desktop' }).click();
      const dialog = watcherPage.getByRole('dialog', { name: 'Open a shared desktop' });
      await dialog.getByRole('textbox', { name: 'Share link or code' }).fill(link);
      await dialog.getByRole('button', { name: 'Open' }).click();
      await expect(dialog.getByRole('alert')).toContainText(/stopped/i, { timeout: 30_000 });
    });
  } catch (error) {
    // The fixtures keep the owner's page and host log; the colleague's are kept here.
    await colleague.page.screenshot({ path: testInfo.outputPath('colleague-failed.png'), fullPage: true }).catch(() => undefined);
    await testInfo.attach('colleague-porthole-serve.log', { body: colleague.server.log(), contentType: 'text/plain' });
    throw error;
  } finally {
    xterm?.stop();
    await sshRun(`rm -f ~/${marker}; scancel ${jobId ?? ''}`);
    await colleague.context.close();
    await colleague.server.stop();
  }
});
