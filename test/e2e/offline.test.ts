// Cut the link to the cluster (a forwarder of our own in front of its sshd, stopped by PID,
// never the shared sshd) and reload: History still lists the sessions from the local cache,
// and the app says it is offline instead of showing them as live.
import { test, expect } from './fixtures';
import { addTestCluster, chooseVncDesktop, sessionsList, shot, trustAndConnect } from './steps';
import { startTcpForwarder } from './tcp-forwarder';

test('with the cluster unreachable, History still lists sessions and the app says offline', async ({
  page,
  porthole,
  cluster,
}, testInfo) => {
  const forwarder = await startTcpForwarder(cluster.ssh.host, cluster.ssh.port);
  try {
    await page.goto(porthole.url);
    const name = await addTestCluster(page, cluster, { name: 'cuttable', port: forwarder.port });
    await trustAndConnect(page, cluster, name);

    await chooseVncDesktop(page);
    await page.getByRole('button', { name: 'Launch', exact: true }).click();
    const newest = sessionsList(page).getByRole('listitem').first();
    await expect(newest.getByRole('status', { name: 'State' })).toHaveText('Ready', { timeout: 90_000 });
    const jobId = ((await newest.textContent()) ?? '').match(/Job (\d+)/)?.[1];
    const item = sessionsList(page)
      .getByRole('listitem')
      .filter({ hasText: `Job ${jobId} ·` });
    const templateName = (await item.getByRole('heading').textContent())!.replace(/ on cuttable$/, '').trim();
    await item.getByRole('button', { name: 'Cancel' }).click();
    await page
      .getByRole('dialog', { name: /^Cancel / })
      .getByRole('button', { name: 'Cancel session' })
      .click();
    await expect(item.getByRole('status', { name: 'State' })).toHaveText('Ended — cancelled', { timeout: 30_000 });

    await page.getByRole('link', { name: 'History' }).click();
    const history = page.getByRole('list', { name: 'History' });
    const ours = history.getByRole('listitem').filter({ hasText: `job ${jobId} ·` });
    await expect(ours).toHaveCount(1);

    await forwarder.stop();
    await page.reload();
    const banner = page
      .getByRole('status')
      .filter({ hasText: /offline/i })
      .first();
    await expect(banner).toContainText(/Offline: cluster cuttable is not connected/, { timeout: 30_000 });
    await expect(banner).toContainText(/cached, not live/);
    await page.getByRole('link', { name: 'History' }).click();
    await expect(ours).toHaveCount(1);
    await expect(ours).toContainText(templateName);
    await expect(ours).toContainText('Ended — cancelled');
    await expect(page.getByText(/no cluster is live, so this is the cached record/)).toBeVisible();
    await page.getByRole('searchbox', { name: 'Search history' }).fill('cancelled cuttable');
    await expect(ours).toHaveCount(1);
    await expect(history.getByRole('listitem').filter({ hasNotText: 'Ended — cancelled' })).toHaveCount(0);
    await page.getByRole('searchbox', { name: 'Search history' }).fill('no-such-session');
    await expect(history.getByRole('listitem')).toHaveCount(0);
    await page.getByRole('searchbox', { name: 'Search history' }).fill('');
    await shot(page, testInfo, 'history-offline');
  } finally {
    await forwarder.stop();
  }
});
