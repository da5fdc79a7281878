// A person's steps in the UI, shared by the tests. Everything is located by role and
// accessible name, as a screen-reader user would find it.
import type { Page, TestInfo } from '@playwright/test';
import type { TestCluster } from '../cluster/fixture';
import { expect } from './fixtures';
import { expectWcagAA } from './accessibility';
import { VNC_DESKTOP_CARD } from './template-names';

/**
 * Screenshots of the view into the test output, light (`<name>.png`) then dark (`<name>-dark.png`),
 * each with its WCAG 2 AA check (contrast included); the page is left light, as tests start.
 */
export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const file = colorScheme === 'light' ? name : `${name}-dark`;
    await page.screenshot({ path: testInfo.outputPath(`${file}.png`), fullPage: true });
    await expectWcagAA(page, `${name} (${colorScheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

export function clusterCard(page: Page, name: string) {
  return page.getByRole('list', { name: 'Configured clusters' }).getByRole('listitem', { name: `Cluster ${name}` });
}

/**
 * Fills the Add cluster form for the test cluster (optionally through another port, or as another
 * of its users with their own key); adding starts its connection.
 */
export async function addTestCluster(
  page: Page,
  cluster: TestCluster,
  options: { name?: string; port?: number; user?: string; identityFile?: string } = {},
): Promise<string> {
  const name = options.name ?? 'test';
  await page.getByRole('link', { name: 'Clusters' }).click();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('textbox', { name: 'Host', exact: true }).fill(cluster.ssh.host);
  await page.getByRole('textbox', { name: 'User', exact: true }).fill(options.user ?? cluster.ssh.user);
  await page.getByRole('textbox', { name: 'Port', exact: true }).fill(String(options.port ?? cluster.ssh.port));
  await page.getByRole('textbox', { name: 'Identity file' }).fill(options.identityFile ?? cluster.ssh.identityFile);
  await page.getByRole('button', { name: 'Add cluster' }).click();
  await expect(clusterCard(page, name)).toBeVisible();
  return name;
}

/** After adding: check the fingerprint the dialog shows against the cluster's, Trust, and wait for Connected. */
export async function trustAndConnect(page: Page, cluster: TestCluster, name: string, testInfo?: TestInfo): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Unknown host key' });
  await expect(dialog).toBeVisible({ timeout: 60_000 });
  await expect(dialog.getByLabel('Fingerprint')).toContainText(cluster.ssh.hostKeyFingerprint);
  if (testInfo) await shot(page, testInfo, 'clusters-host-key');
  await dialog.getByRole('button', { name: 'Trust' }).click();
  await expect(clusterCard(page, name).getByText('Connected', { exact: true })).toBeVisible({ timeout: 120_000 });
}

/** The Sessions view: the sessions running or waiting, then the recently ended ones, each a listitem. */
export function sessionsList(page: Page) {
  return page.getByRole('region', { name: 'Sessions', exact: true });
}

/** Presses the open Launch form's Launch button; returns the Slurm job id the new session shows (it is listed first). */
export async function launchAndReadJobId(page: Page): Promise<string> {
  await page
    .getByRole('form', { name: /^Launch / })
    .getByRole('button', { name: 'Launch', exact: true })
    .click();
  const first = sessionsList(page).getByRole('listitem').first();
  await expect(first).toContainText(/Job \d+/, { timeout: 30_000 });
  return ((await first.textContent()) ?? '').match(/Job (\d+)/)![1];
}

/** Opens Launch and chooses the VNC desktop template. */
export async function chooseVncDesktop(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Launch' }).click();
  await page.getByRole('list', { name: 'Templates' }).getByRole('button', { name: VNC_DESKTOP_CARD }).first().click();
}
