// The launch steps' times come from the agent: shown again later (a reload, another window), the
// Starting step keeps the time it took instead of lasting until the list was shown.
import { test, expect } from './fixtures';
import { addTestCluster, launchAndReadJobId, chooseVncDesktop, sessionsList, trustAndConnect } from './steps';
import { sshRun } from '../cluster/fixture';

test('the Starting step keeps the time it took when the list is shown again later', async ({ page, porthole, cluster }) => {
  let jobId: string | undefined;
  try {
    await page.goto(porthole.url);
    const name = await addTestCluster(page, cluster, { name: 'steps' });
    await trustAndConnect(page, cluster, name);
    await chooseVncDesktop(page);
    jobId = await launchAndReadJobId(page);
    const item = () =>
      sessionsList(page)
        .getByRole('listitem')
        .filter({ hasText: `Job ${jobId} ·` });
    await expect(item().getByRole('status', { name: 'State' })).toHaveText('Ready', { timeout: 60_000 });
    const starting = () => item().getByRole('list', { name: 'Launch progress' }).getByRole('listitem').nth(2);
    const before = await starting().textContent();
    expect(before).toMatch(/Starting/);

    // Long enough that a Starting measured until the list was shown again would say so.
    await page.waitForTimeout(5000);
    await page.reload();
    await expect(item().getByRole('status', { name: 'State' })).toHaveText('Ready', { timeout: 30_000 });
    await expect(starting()).toHaveText(before!);
  } finally {
    if (jobId) await sshRun(`scancel ${jobId}`);
  }
});
