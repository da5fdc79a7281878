// A session says why it is where it is: a desktop whose server cannot start ends "failed" with
// the last lines of its log in the Sessions list. (Why a desktop waits, Slurm's pending reason,
// is checked in the desktop test while the node is held by another job.)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { addTestCluster, sessionsList, shot, trustAndConnect } from './steps';
import { sshRun, type TestCluster } from '../cluster/fixture';

/** A test-only template the cluster agent tests use too: its Xvnc is given an option it refuses. */
const BROKEN_TEMPLATE = join(__dirname, '../cluster/agent/templates/broken-server');

async function installUserTemplate(cluster: TestCluster, dir: string): Promise<void> {
  expect((await sshRun('mkdir -p ~/.porthole/templates')).code).toBe(0);
  const copied = spawnSync('scp', ['-q', '-r', '-F', cluster.sshConfigFile, dir, 'porthole-test:.porthole/templates/'], {
    encoding: 'utf8',
  });
  expect(copied.status, copied.stderr).toBe(0);
}

test('a desktop whose server cannot start ends failed, with the end of its log as the reason', async ({
  page,
  porthole,
  cluster,
}, testInfo) => {
  await installUserTemplate(cluster, BROKEN_TEMPLATE);
  // By its template: a session another test left live is listed above an ended one.
  const item = sessionsList(page).getByRole('listitem').filter({ hasText: 'Broken server' }).first();
  try {
    await page.goto(porthole.url);
    const name = await addTestCluster(page, cluster);
    await trustAndConnect(page, cluster, name);
    await page.getByRole('link', { name: 'Launch' }).click();
    await page
      .getByRole('list', { name: 'Templates' })
      .getByRole('button', { name: /Broken server/ })
      .click();
    await page.getByRole('button', { name: 'Launch', exact: true }).click();

    await expect(item.getByRole('status', { name: 'State' })).toHaveText('Ended — failed', { timeout: 60_000 });
    await expect(item).toContainText('Unrecognized option: -no-such-option-porthole-test');
    // Nothing to open or cancel; it can be launched again and its log read.
    await expect(item.getByRole('button', { name: 'Open' })).toHaveCount(0);
    await expect(item.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
    await expect(item.getByRole('button', { name: 'Relaunch' })).toBeEnabled();
    await shot(page, testInfo, 'sessions-failed');
  } finally {
    // A session that did not fail as it should may still run: it would hold node01 for later tests.
    const jobId = /Job (\d+)/.exec((await item.textContent({ timeout: 1000 }).catch(() => null)) ?? '')?.[1];
    if (jobId) await sshRun(`scancel ${jobId}`);
    await sshRun('rm -rf ~/.porthole/templates/broken-server');
  }
});
