// The Sessions list after some use: what runs or waits comes first as full cards; the ended ones
// are folded into a short "Recently ended" list that leads to History, instead of a wall of
// "Ended — cancelled" cards above and between the live ones.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { addTestCluster, sessionsList, shot, trustAndConnect } from './steps';
import { sshRun } from '../cluster/fixture';

const version = (JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
const agent = `node ~/.porthole/agent/${version}/agent.cjs`;

/** An xterm session launched with the agent's CLI, as another window of the same user would. */
async function launchXterm(): Promise<{ id: string; jobId: string }> {
  const launch = await sshRun(`${agent} sessions.launch xterm --param hours=0.25 --param cpus=1 --param memoryGb=0.25 --json`);
  expect(launch.code, launch.stderr).toBe(0);
  return JSON.parse(launch.stdout) as { id: string; jobId: string };
}

test('lists running and waiting sessions first, and only the five most recent ended ones, with a link to History', async ({
  page,
  porthole,
  cluster,
}, testInfo) => {
  await page.goto(porthole.url);
  const name = await addTestCluster(page, cluster);
  await trustAndConnect(page, cluster, name);
  const jobIds: string[] = [];
  try {
    // Six sessions that end at once, then one that keeps waiting or running.
    for (let i = 0; i < 6; i++) {
      const ended = await launchXterm();
      jobIds.push(ended.jobId);
      const cancelled = await sshRun(`${agent} sessions.cancel ${ended.id} --json`);
      expect(cancelled.code, cancelled.stderr).toBe(0);
    }
    const running = await launchXterm();
    jobIds.push(running.jobId);

    await page.getByRole('link', { name: 'Sessions' }).click();
    const current = page.getByRole('list', { name: 'Running and waiting' });
    const recent = page.getByRole('list', { name: 'Recently ended' });
    // They show up at the agent's next look (at most 15 s).
    await expect(current.getByRole('listitem').filter({ hasText: `Job ${running.jobId} ` })).toBeVisible({ timeout: 60_000 });
    await expect(recent.getByRole('listitem').filter({ hasText: `Job ${jobIds[5]} ` })).toBeVisible({ timeout: 60_000 });
    await expect(recent.getByRole('listitem')).toHaveCount(5);
    await expect(recent.getByRole('status', { name: 'State' }).filter({ hasNotText: /^Ended/ })).toHaveCount(0);
    await expect(current.getByRole('status', { name: 'State' }).filter({ hasText: /^Ended/ })).toHaveCount(0);
    // In the page's order, what still runs comes before anything ended.
    await expect(sessionsList(page).getByRole('listitem').first().getByRole('status', { name: 'State' })).not.toHaveText(/^Ended/);
    // An ended session is short: no launch steps, and nothing to open or cancel; it can be launched again.
    const endedItem = recent.getByRole('listitem').first();
    await expect(endedItem.getByRole('list', { name: 'Launch progress' })).toHaveCount(0);
    await expect(endedItem.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
    await expect(endedItem.getByRole('button', { name: 'Relaunch' })).toBeEnabled();
    await shot(page, testInfo, 'sessions-recently-ended');

    await page.getByRole('link', { name: 'All past sessions' }).click();
    await expect(page.getByRole('heading', { name: 'History', level: 2 })).toBeVisible();
    await expect(page.getByRole('link', { name: 'History', exact: true })).toHaveAttribute('aria-current', 'page');
  } finally {
    // The one still running holds node01 for later tests.
    await sshRun(`scancel ${jobIds.join(' ')}`);
  }
});
