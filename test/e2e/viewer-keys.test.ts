// The viewer's keyboard: while the desktop has the focus, keys a browser or Electron would take
// (Ctrl+W, Ctrl+R, Ctrl+Q) reach the remote program; the toolbar's Ctrl+Alt+Del sends those
// keys; Ctrl+Alt alone gives the keyboard back, and Capture keyboard takes it again. The session
// is the Terminal template's, a program with no window manager: a desktop's window manager takes
// Ctrl+Alt+Del for itself (IceWM's system dialog, Xfce's lock), as it would at a console.
import type { Locator, Page } from '@playwright/test';
import { desktopCanvas, pagePoint, summariseCanvas } from './desktop-canvas';
import { test, expect } from './fixtures';
import { displayOfJob, startXterm, XTERM_AREA } from './remote-x';
import { addTestCluster, launchAndReadJobId, sessionsList, shot, trustAndConnect } from './steps';
import { sshRun } from '../cluster/fixture';

/** Makes the remote xterm's shell write the next `count` bytes it reads, raw, to `file`. */
async function recordRawBytes(page: Page, file: string, count: number): Promise<void> {
  // Without canonical mode and flow control the tty passes Ctrl+W (erase word), Ctrl+R and Ctrl+Q through.
  await page.keyboard.type(`clear; stty -icanon -ixon -iexten -echo; head -c ${count} > ~/${file}; stty sane\n`, { delay: 20 });
  // The keys must come after stty has run, or the tty would act on them itself.
  await page.waitForTimeout(1500);
}

/** The bytes of `file` in the remote home, in hex: "17 12 11". */
async function remoteBytes(file: string): Promise<string> {
  const result = await sshRun(`od -An -tx1 ~/${file} 2>/dev/null`);
  return result.stdout.trim().replace(/\s+/g, ' ');
}

test('keys go to the remote desktop, Ctrl+Alt+Del is a button, and Ctrl+Alt gives the keyboard back', async ({
  page,
  porthole,
  cluster,
}, testInfo) => {
  const marker = `e2e-keys-${Date.now()}`;
  let jobId: string | undefined;
  let xterm: ReturnType<typeof startXterm> | undefined;
  try {
    await page.goto(porthole.url);
    const name = await addTestCluster(page, cluster, { name: 'keys' });
    await trustAndConnect(page, cluster, name);

    let canvas: Locator;
    let toolbar: Locator;
    let capture: Locator;
    await test.step('open a desktop with an xterm in it and click into the xterm: the keyboard goes to the desktop', async () => {
      await page.getByRole('link', { name: 'Launch' }).click();
      await page
        .getByRole('list', { name: 'Templates' })
        .getByRole('button', { name: /^Terminal/ })
        .click();
      jobId = await launchAndReadJobId(page);
      const item = sessionsList(page)
        .getByRole('listitem')
        .filter({ hasText: `Job ${jobId} ·` });
      await expect(item.getByRole('status', { name: 'State' })).toHaveText('Ready', { timeout: 60_000 });
      await item.getByRole('button', { name: 'Open' }).click();
      toolbar = page.getByRole('toolbar', { name: 'Viewer' });
      await expect(toolbar.getByRole('status')).toHaveText('Connected', { timeout: 30_000 });
      canvas = desktopCanvas(page);
      await expect.poll(async () => (await summariseCanvas(canvas)).width, { timeout: 20_000 }).toBeGreaterThan(0);
      const before = await summariseCanvas(canvas, XTERM_AREA);
      xterm = startXterm(jobId, await displayOfJob(jobId), 'porthole-keys');
      await expect.poll(async () => (await summariseCanvas(canvas, XTERM_AREA)).hash, { timeout: 20_000 }).not.toBe(before.hash);
      await page.waitForTimeout(1000);

      capture = toolbar.getByRole('button', { name: 'Capture keyboard' });
      const inXterm = await pagePoint(canvas, 200, 150);
      await page.mouse.click(inXterm.x, inXterm.y);
      await expect(capture).toHaveAttribute('aria-pressed', 'true');
      await expect(toolbar).toContainText('Keys go to the desktop; Ctrl+Alt gives them back');
      await shot(page, testInfo, 'viewer-keyboard-captured');
    });

    await test.step('Ctrl+W, Ctrl+R and Ctrl+Q reach the remote program, and the page stays', async () => {
      await recordRawBytes(page, `${marker}-ctrl`, 3);
      await page.keyboard.press('Control+w');
      await page.keyboard.press('Control+r');
      await page.keyboard.press('Control+q');
      await expect.poll(() => remoteBytes(`${marker}-ctrl`), { timeout: 15_000 }).toBe('17 12 11');
      await expect(toolbar.getByRole('status')).toHaveText('Connected');
    });

    await test.step('the Ctrl+Alt+Del button sends Ctrl+Alt+Delete to the remote program', async () => {
      await recordRawBytes(page, `${marker}-cad`, 6);
      await toolbar.getByRole('button', { name: 'Ctrl+Alt+Del' }).click();
      // xterm's Delete with modifiers: ESC [ 3 ; <modifiers> ~ (Ctrl and Alt make it 5 or more).
      await expect.poll(() => remoteBytes(`${marker}-cad`), { timeout: 15_000 }).toMatch(/^1b 5b 33 3b 3[5-9] 7e$/);
      await expect(capture, 'the button left the keyboard with the desktop').toHaveAttribute('aria-pressed', 'true');
      await page.waitForTimeout(1000);
      await expect(toolbar.getByRole('status')).toHaveText('Connected');
    });

    await test.step('Ctrl+Alt alone gives the keyboard back; Capture keyboard takes it again', async () => {
      await recordRawBytes(page, `${marker}-after`, 1);
      await page.keyboard.down('Control');
      await page.keyboard.down('Alt');
      await page.keyboard.up('Alt');
      await page.keyboard.up('Control');
      await expect(capture).toBeFocused();
      await expect(capture).toHaveAttribute('aria-pressed', 'false');
      await expect(toolbar).not.toContainText('Keys go to the desktop');
      await page.waitForTimeout(1000);
      await expect(toolbar.getByRole('status')).toHaveText('Connected');
      // Typed now, a key stays in the page: the remote program still waits for its one byte.
      await page.keyboard.press('q');
      await page.waitForTimeout(1000);
      expect(await remoteBytes(`${marker}-after`)).toBe('');
      await expect(toolbar.getByRole('status')).toHaveText('Connected');
      await capture.click();
      await expect(capture).toHaveAttribute('aria-pressed', 'true');
      await page.keyboard.press('z');
      await expect.poll(() => remoteBytes(`${marker}-after`), { timeout: 15_000 }).toBe('7a');
    });
  } finally {
    xterm?.stop();
    await sshRun(`rm -f ~/${marker}-*; scancel ${jobId ?? ''}`);
  }
});
