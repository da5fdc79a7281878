// A cluster that drops shows when it tries again, second by second, but a screen reader is told
// only that it is offline and reconnecting: the countdown is outside every live region.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { addTestCluster, clusterCard, shot, trustAndConnect } from './steps';
import { startTcpForwarder } from './tcp-forwarder';

/** Starts recording every text change inside the page's live regions (what a screen reader announces). */
async function recordAnnouncements(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const changes: string[] = [];
    (window as unknown as { announced: string[] }).announced = changes;
    new MutationObserver((records) => {
      for (const record of records) {
        const node = record.target instanceof Element ? record.target : record.target.parentElement;
        const region = node?.closest('[aria-live], [role="status"], [role="alert"], [role="log"]');
        if (region) changes.push(region.textContent ?? '');
      }
    }).observe(document.body, { childList: true, characterData: true, subtree: true });
  });
  return () => page.evaluate(() => (window as unknown as { announced: string[] }).announced);
}

test('the reconnect countdown ticks outside the live region, which says once that the cluster is offline', async ({
  page,
  porthole,
  cluster,
}, testInfo) => {
  const forwarder = await startTcpForwarder(cluster.ssh.host, cluster.ssh.port);
  try {
    await page.goto(porthole.url);
    const name = await addTestCluster(page, cluster, { name: 'dropping', port: forwarder.port });
    await trustAndConnect(page, cluster, name);

    await forwarder.stop();
    const card = clusterCard(page, name);
    await expect(card.getByText('Offline, reconnecting', { exact: true })).toBeVisible({ timeout: 30_000 });
    // Wait for a retry a few seconds away, so that the countdown has time to tick.
    const countdown = card.getByText(/^Next attempt in \d+ s$/);
    await expect(countdown).toHaveText(/in ([4-9]|\d\d+) s$/, { timeout: 60_000 });

    const announced = await recordAnnouncements(page);
    const first = await countdown.textContent();
    await expect(countdown).not.toHaveText(first!, { timeout: 3_000 });
    await page.waitForTimeout(1_000);
    expect(await announced(), 'live regions changed while only the countdown ticked').toEqual([]);
    await shot(page, testInfo, 'clusters-reconnecting');
  } finally {
    await forwarder.stop();
  }
});
