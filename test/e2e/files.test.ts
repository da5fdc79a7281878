// Files into and out of a desktop through the viewer: two files chosen (Upload files) and one
// dropped arrive on the cluster with the same bytes, each with its progress; a name that is
// taken gets a numbered name shown to the user; with the home's quota nearly full, the file
// over it fails saying so while the other arrives; Download brings a file back to the
// workstation's Downloads with the same bytes, and never over a file there.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { addTestCluster, chooseVncDesktop, launchAndReadJobId, sessionsList, shot, trustAndConnect } from './steps';
import { limitHomeQuota, shellQuote, sshRun, tempDir } from '../cluster/fixture';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** sha256 of each named file in the folder, as the cluster computes it. */
async function remoteSha256(folder: string, names: string[]): Promise<Record<string, string>> {
  const result = await sshRun(`cd ${shellQuote(folder)} && sha256sum -- ${names.map(shellQuote).join(' ')}`);
  expect(result.code, result.stderr).toBe(0);
  return Object.fromEntries(
    result.stdout
      .trim()
      .split('\n')
      .map((line) => [line.slice(66), line.slice(0, 64)]),
  );
}

function transfer(page: Page, label: string): Locator {
  return page.getByRole('region', { name: 'File transfers' }).getByRole('listitem', { name: label, exact: true });
}

/** Chooses files with the Files panel's Upload files button, as a person does in the file chooser. */
async function chooseFiles(page: Page, paths: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('group', { name: 'Files' }).getByRole('button', { name: 'Upload files' }).click();
  await (await chooser).setFiles(paths);
}

/** Drops a file made in the page on the viewer, as a file dragged from the desktop would be. */
async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, base64 }) => {
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name));
      return data;
    },
    { name, base64: bytes.toString('base64') },
  );
  const desktop = page.getByRole('region', { name: 'Desktop', exact: true });
  await desktop.dispatchEvent('dragover', { dataTransfer: transfer });
  await desktop.dispatchEvent('drop', { dataTransfer: transfer });
}

test('files dropped on the viewer arrive with their bytes, a full quota is named, and Download brings one back', async ({
  page,
  porthole,
  cluster,
}, testInfo) => {
  const local = tempDir('e2e-files');
  const files = {
    'notes.txt': randomBytes(200 * 1024),
    'data (v1).bin': randomBytes(3 * 1024 * 1024 + 17),
    'dropped.csv': randomBytes(50 * 1024),
    'too-big.bin': randomBytes(24 * 1024 * 1024),
    'small.txt': randomBytes(10 * 1024),
    'cancelled.bin': randomBytes(160 * 1024 * 1024),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(local, name), bytes);
  let jobId: string | undefined;
  let liftLimit: (() => void) | undefined;
  let folder = '';
  try {
    await page.goto(porthole.url);
    const name = await addTestCluster(page, cluster, { name: 'files' });
    await trustAndConnect(page, cluster, name);
    await chooseVncDesktop(page);
    jobId = await launchAndReadJobId(page);
    const item = sessionsList(page)
      .getByRole('listitem')
      .filter({ hasText: `Job ${jobId} ·` });
    await expect(item.getByRole('status', { name: 'State' })).toHaveText('Ready', { timeout: 60_000 });
    await item.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByRole('toolbar', { name: 'Viewer' }).getByRole('status')).toHaveText('Connected', { timeout: 30_000 });

    await test.step('Files shows the session’s own folder, empty', async () => {
      await page.getByRole('toolbar', { name: 'Viewer' }).getByRole('button', { name: 'Files' }).click();
      const panel = page.getByRole('group', { name: 'Files' });
      await expect(panel.getByText('The folder is empty.')).toBeVisible({ timeout: 20_000 });
      folder = (await panel.locator('code').textContent()) ?? '';
      expect(folder).toMatch(new RegExp(`^${cluster.ssh.home}/\\.porthole/sessions/[^/]+/files$`));
      const mode = await sshRun(`stat -c %a ${shellQuote(folder)}`);
      expect(mode.stdout.trim()).toBe('700');
    });

    await test.step('two chosen files and one dropped arrive with the same bytes, each with its progress', async () => {
      await chooseFiles(page, [join(local, 'notes.txt'), join(local, 'data (v1).bin')]);
      await dropFile(page, 'dropped.csv', files['dropped.csv']);
      for (const file of ['notes.txt', 'data (v1).bin', 'dropped.csv']) {
        const row = transfer(page, `Upload ${file}`);
        await expect(row.getByRole('status')).toHaveText('Saved', { timeout: 60_000 });
        const bar = row.getByRole('progressbar');
        await expect(bar).toHaveAttribute('value', String(files[file as keyof typeof files].length));
        await expect(bar).toHaveAttribute('max', String(files[file as keyof typeof files].length));
      }
      await expect(transfer(page, 'Upload data (v1).bin')).toContainText('3.0 MiB of 3.0 MiB');
      const sums = await remoteSha256(folder, ['notes.txt', 'data (v1).bin', 'dropped.csv']);
      expect(sums).toEqual({
        'notes.txt': sha256(files['notes.txt']),
        'data (v1).bin': sha256(files['data (v1).bin']),
        'dropped.csv': sha256(files['dropped.csv']),
      });
      // The list shows them, and no half-written part file.
      const table = page.getByRole('table', { name: "Files in the session's folder" });
      await expect(table.getByRole('row')).toHaveCount(4);
      await shot(page, testInfo, 'viewer-files');
    });

    await test.step('a name already there is not overwritten: the copy is saved as "notes (2).txt", and says so', async () => {
      await page.getByRole('button', { name: 'Clear finished' }).click();
      await chooseFiles(page, [join(local, 'notes.txt')]);
      await expect(transfer(page, 'Upload notes.txt').getByRole('status')).toHaveText('Saved as notes (2).txt', { timeout: 30_000 });
      const sums = await remoteSha256(folder, ['notes.txt', 'notes (2).txt']);
      expect(sums['notes (2).txt']).toBe(sha256(files['notes.txt']));
      expect(sums['notes.txt']).toBe(sha256(files['notes.txt']));
    });

    await test.step('Cancel stops an upload part-way: its progress showed, and nothing of it stays on the cluster', async () => {
      await page.getByRole('button', { name: 'Clear finished' }).click();
      await chooseFiles(page, [join(local, 'cancelled.bin')]);
      const row = transfer(page, 'Upload cancelled.bin');
      await expect
        .poll(async () => Number(await row.getByRole('progressbar').getAttribute('value')), { timeout: 30_000 })
        .toBeGreaterThan(0);
      await row.getByRole('button', { name: 'Cancel' }).click();
      await expect(row.getByRole('status')).toHaveText('Cancelled');
      expect(Number(await row.getByRole('progressbar').getAttribute('value'))).toBeLessThan(files['cancelled.bin'].length);
      await expect
        .poll(async () => (await sshRun(`ls -A ${shellQuote(folder)}`)).stdout.split('\n').filter(Boolean).sort())
        .toEqual(['data (v1).bin', 'dropped.csv', 'notes (2).txt', 'notes.txt']);
    });

    await test.step('over the quota: that file fails with "Disk quota exceeded", the other arrives, no part file is left', async () => {
      await page.getByRole('button', { name: 'Clear finished' }).click();
      liftLimit = limitHomeQuota(cluster.ssh.home, 8 * 1024 * 1024);
      await chooseFiles(page, [join(local, 'small.txt'), join(local, 'too-big.bin')]);
      await expect(transfer(page, 'Upload too-big.bin').getByRole('status')).toHaveText(
        `Failed: too-big.bin: Disk quota exceeded on ${folder}: remove files there or ask the site for a larger quota`,
        { timeout: 60_000 },
      );
      await expect(transfer(page, 'Upload small.txt').getByRole('status')).toHaveText('Saved');
      await shot(page, testInfo, 'viewer-files-quota');
      liftLimit();
      liftLimit = undefined;
      const listing = await sshRun(`ls -A ${shellQuote(folder)}`);
      expect(listing.stdout.split('\n').filter(Boolean).sort()).toEqual([
        'data (v1).bin',
        'dropped.csv',
        'notes (2).txt',
        'notes.txt',
        'small.txt',
      ]);
      expect((await remoteSha256(folder, ['small.txt']))['small.txt']).toBe(sha256(files['small.txt']));
    });

    await test.step('Download brings a file to Downloads with the same bytes, and a second one beside it', async () => {
      const downloads = join(porthole.home, 'Downloads');
      const table = page.getByRole('table', { name: "Files in the session's folder" });
      await table.getByRole('button', { name: 'Download data (v1).bin' }).click();
      await expect(transfer(page, 'Download data (v1).bin').getByRole('status')).toHaveText(
        `Saved to ${join(downloads, 'data (v1).bin')}`,
        {
          timeout: 30_000,
        },
      );
      expect(sha256(readFileSync(join(downloads, 'data (v1).bin')))).toBe(sha256(files['data (v1).bin']));
      await page.getByRole('button', { name: 'Clear finished' }).click();
      await table.getByRole('button', { name: 'Download data (v1).bin' }).click();
      await expect(transfer(page, 'Download data (v1).bin').getByRole('status')).toHaveText(
        `Saved to ${join(downloads, 'data (v1) (2).bin')}`,
        { timeout: 30_000 },
      );
      expect(sha256(readFileSync(join(downloads, 'data (v1) (2).bin')))).toBe(sha256(files['data (v1).bin']));
    });
  } finally {
    liftLimit?.();
    if (jobId) await sshRun(`scancel ${jobId}`);
    // The home is shared by every test: the uploaded files go with the test.
    if (folder) await sshRun(`rm -rf -- ${shellQuote(folder)}`);
  }
});
