// An idle desktop in the Sessions list: a user template with 1 idle minute (the warning 30 s
// before the stop) shows `Idle: stops in 1 min` with Keep running; Keep running takes the line
// away, and when nobody comes it ends as `Ended — idle` with its reason.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';
import { addTestCluster, sessionsList, shot, trustAndConnect } from './steps';
import { sshRun, tempDir, type TestCluster } from '../cluster/fixture';

const TEMPLATE_ID = 'idle-terminal';

/** The shipped xterm template, renamed, with an idle stop of 1 minute, in the user's templates. */
function installIdleTemplate(cluster: TestCluster): void {
  const xterm = join(__dirname, '../../templates/xterm');
  const dir = join(tempDir('idle-template'), TEMPLATE_ID);
  mkdirSync(dir);
  const template = JSON.parse(readFileSync(join(xterm, 'template.json'), 'utf8'));
  delete template.$schema;
  writeFileSync(join(dir, 'template.json'), JSON.stringify({ ...template, id: TEMPLATE_ID, name: 'Idle terminal', idle: { minutes: 1 } }));
  copyFileSync(join(xterm, 'job.sh'), join(dir, 'job.sh'));
  const copied = spawnSync('scp', ['-q', '-r', '-F', cluster.sshConfigFile, dir, 'porthole-test:.porthole/templates/'], {
    encoding: 'utf8',
  });
  expect(copied.status, copied.stderr).toBe(0);
}

test('an idle desktop says when it stops, Keep running takes that back, and it ends as idle', async ({
  page,
  porthole,
  cluster,
}, testInfo) => {
  test.setTimeout(240_000);
  expect((await sshRun('mkdir -p ~/.porthole/templates')).code).toBe(0);
  installIdleTemplate(cluster);
  const item = sessionsList(page).getByRole('listitem').filter({ hasText: 'Idle terminal' }).first();
  try {
    await page.goto(porthole.url);
    const name = await addTestCluster(page, cluster);
    await trustAndConnect(page, cluster, name);
    await page.getByRole('link', { name: 'Launch' }).click();
    await page
      .getByRole('list', { name: 'Templates' })
      .getByRole('button', { name: /Idle terminal/ })
      .click();
    await page.getByRole('button', { name: 'Launch', exact: true }).click();
    await expect(item.getByRole('status', { name: 'State' })).toHaveText('Ready', { timeout: 60_000 });

    const idle = item.getByRole('group', { name: 'Idle stop' });
    await expect(idle.getByRole('status')).toHaveText(/^Idle: stops in 1 min/, { timeout: 60_000 });
    await shot(page, testInfo, 'session-idle-warning');
    await idle.getByRole('button', { name: 'Keep running' }).click();
    await expect(idle).toHaveCount(0, { timeout: 5_000 });
    await expect(item.getByRole('status', { name: 'State' })).toHaveText('Ready');

    // Nobody comes back: warned again, then stopped.
    await expect(item.getByRole('status', { name: 'State' })).toHaveText('Ended — idle', { timeout: 120_000 });
    await expect(item).toContainText('stopped after 1 minute with no viewer connected and no input');
  } finally {
    const jobId = /Job (\d+)/.exec((await item.textContent({ timeout: 1000 }).catch(() => null)) ?? '')?.[1];
    if (jobId) await sshRun(`scancel ${jobId}`);
    await sshRun(`rm -rf ~/.porthole/templates/${TEMPLATE_ID}`);
  }
});
