// Slurm accounts in the launch form: the user's accounts (default first), for the chosen one its
// QOS, hours bounded by the QOS's MaxWall, and a launch that Slurm runs under what was picked.
import { test, expect } from './fixtures';
import { addTestCluster, launchAndReadJobId, chooseVncDesktop, shot, trustAndConnect } from './steps';
import { sshRun } from '../cluster/fixture';

test('the user picks account chem and a QOS, and the job runs under them', async ({ page, porthole, cluster }, testInfo) => {
  let jobId: string | undefined;
  try {
    await page.goto(porthole.url);
    const name = await addTestCluster(page, cluster, { name: 'accounts' });
    await trustAndConnect(page, cluster, name);
    await chooseVncDesktop(page);
    const form = page.getByRole('form', { name: /^Launch / });
    const account = form.getByRole('combobox', { name: 'Account' });
    const qos = form.getByRole('combobox', { name: 'QOS' });
    const hours = form.getByRole('spinbutton', { name: 'Hours' });

    // The default account first, and the QOS it allows, with the debug QOS's 30 minutes.
    const defaultAccount = cluster.slurm.accounts.find((a) => a.default)!;
    await expect(account.getByRole('option')).toHaveText([`${defaultAccount.name} (default)`, 'chem']);
    await expect(account).toHaveValue(defaultAccount.name);
    await expect(qos.getByRole('option')).toHaveText(['normal', 'debug (up to 30 min)']);

    // debug's MaxWall bounds hours, and says whose limit it is.
    await qos.selectOption('debug');
    await expect(hours).toHaveAttribute('max', '0.5');
    await expect(hours).toHaveAccessibleDescription(/to 0\.5 \(the MaxWall of QOS 'debug'\)/);
    await expect(hours).toHaveAttribute('aria-invalid', 'true');
    await shot(page, testInfo, 'launch-qos-maxwall');

    // chem allows normal only: choosing it takes the QOS back to normal, and the hours are fine again.
    await account.selectOption('chem');
    await expect(qos.getByRole('option')).toHaveText(['normal']);
    await expect(qos).toHaveValue('normal');
    // Partition gpu admits physics only: chem is not offered it.
    await expect(form.getByRole('combobox', { name: 'Partition' }).getByRole('option')).toHaveText([/^cpu /]);
    await expect(hours).not.toHaveAttribute('aria-invalid', 'true');
    await hours.fill('0.25');
    jobId = await launchAndReadJobId(page);
    // slurmdbd records the job's QOS a moment after sbatch (`Unknown` until then).
    await expect
      .poll(async () => (await sshRun(`sacct -j ${jobId} -X -n -P -o account,qos`)).stdout.trim(), { timeout: 20_000 })
      .toBe('chem|normal');
  } finally {
    if (jobId) await sshRun(`scancel ${jobId}`);
  }
});
