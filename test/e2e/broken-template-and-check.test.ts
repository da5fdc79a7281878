// What an admin's mistakes and a cluster's health look like to a user: a template that does not
// load shows in Launch as broken with its problems (not hidden, not launchable), and Check
// cluster lists doctor's checks with their results and next steps.
import { randomBytes } from 'node:crypto';
import { test, expect } from './fixtures';
import { addTestCluster, clusterCard, shot, trustAndConnect } from './steps';
import { sshRun } from '../cluster/fixture';

test('a template that does not load shows in Launch as broken, with each problem at its line, and cannot be launched', async ({
  page,
  porthole,
  cluster,
}, testInfo) => {
  // A folder of its own in the test user's template folders: other tests never see this id.
  const id = `broken-${randomBytes(4).toString('hex')}`;
  const folder = `~/.porthole/templates/${id}`;
  const templateJson = [
    '{',
    `  "id": "${id}",`,
    '  "name": "Broken (tests only)",',
    '  "kind": "vnc",',
    '  "fields": [',
    '    { "name": "hours", "type": "number", "label": "Hours", "min": 8, "max": 2 }',
    '  ]',
    '}',
  ].join('\n');
  const installed = await sshRun(`mkdir -p ${folder} && cat > ${folder}/template.json && printf 'exit 0\\n' > ${folder}/job.sh`, {
    input: templateJson,
  });
  expect(installed.code, installed.stderr).toBe(0);
  try {
    await page.goto(porthole.url);
    const name = await addTestCluster(page, cluster);
    await trustAndConnect(page, cluster, name);
    await page.getByRole('link', { name: 'Launch' }).click();
    const card = page.getByRole('list', { name: 'Broken templates' }).getByRole('listitem', { name: `Broken template ${id}` });
    await expect(card).toBeVisible({ timeout: 30_000 });
    await expect(card).toContainText('Cannot be launched');
    await expect(card.getByRole('list', { name: `Problems of ${id}` })).toContainText(
      new RegExp(`${id}/template\\.json:6:60 fields\\.0\\.min: field 'hours': min 8 is above max 2`),
    );
    await expect(card.getByRole('button')).toHaveCount(0);
    // The good templates are still there to launch.
    await expect(page.getByRole('list', { name: 'Templates' }).getByRole('button', { name: /^Desktop \(VNC\)/ })).toBeVisible();
    await shot(page, testInfo, 'launch-broken-template');
  } finally {
    await sshRun(`rm -rf ${folder}`);
  }
});

test('Check cluster runs doctor and shows each check with its result and the next step', async ({ page, porthole, cluster }, testInfo) => {
  await page.goto(porthole.url);
  const name = await addTestCluster(page, cluster);
  await trustAndConnect(page, cluster, name);
  const card = clusterCard(page, name);
  await card.getByRole('button', { name: 'Check cluster' }).click();
  const checks = card.getByRole('list', { name: `Checks of ${name}` });
  await expect(checks).toBeVisible({ timeout: 120_000 });
  // Slurm answers on the test cluster; apptainer is not installed there, so that check warns with what to do.
  await expect(checks.getByRole('listitem').filter({ hasText: /^OK: slurm Slurm answers: partitions / })).toHaveCount(1);
  const apptainer = checks.getByRole('listitem').filter({ hasText: /^Warning: apptainer / });
  await expect(apptainer).toContainText('apptainer is not on PATH of the login node.');
  await expect(apptainer).toContainText('Next step: Templates with runtime apptainer need it on the compute nodes');
  await shot(page, testInfo, 'clusters-check');
});
