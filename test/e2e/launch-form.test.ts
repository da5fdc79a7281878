// The launch form is bounded by the live cluster: a value out of bounds is shown next to its
// field, and Launch sends nothing.
import { test, expect } from './fixtures';
import { addTestCluster, chooseVncDesktop, sessionsList, shot, trustAndConnect } from './steps';
import { sshRun } from '../cluster/fixture';

test('an out-of-bounds value shows an error next to its field and launches nothing', async ({ page, porthole, cluster }, testInfo) => {
  const sent: string[] = [];
  page.on('websocket', (socket) => socket.on('framesent', (frame) => void (typeof frame.payload === 'string' && sent.push(frame.payload))));
  await page.goto(porthole.url);
  const name = await addTestCluster(page, cluster);
  await trustAndConnect(page, cluster, name);
  // The test user may have sessions already (earlier tests): count them to see that none is added.
  await page.getByRole('link', { name: 'Sessions' }).click();
  await expect(page.getByRole('heading', { name: 'Sessions' })).toBeVisible();
  await page.waitForTimeout(1000);
  const before = await sessionsList(page).getByRole('listitem').count();
  await chooseVncDesktop(page);

  const form = page.getByRole('form', { name: /^Launch / });
  const cpus = form.getByRole('spinbutton', { name: /CPU/i });
  const max = Number(await cpus.getAttribute('max'));
  expect(max).toBeGreaterThan(0);
  await cpus.fill(String(max + 1));
  await expect(cpus).toHaveAccessibleDescription(new RegExp(`at most ${max}`));
  await expect(cpus).toHaveAttribute('aria-invalid', 'true');
  await form.getByRole('button', { name: 'Launch' }).click();
  await shot(page, testInfo, 'launch-out-of-bounds');

  await expect(form).toBeVisible();
  expect(sent.some((payload) => payload.includes('"sessions.launch"'))).toBe(false);
  await page.getByRole('link', { name: 'Sessions' }).click();
  await page.waitForTimeout(1000);
  await expect(sessionsList(page).getByRole('listitem')).toHaveCount(before);
});

/** What the live cluster says about a partition, straight from sinfo (not through Porthole). */
interface LivePartition {
  name: string;
  cpus: number;
  memoryGb: number;
  gpus: number;
  timeWords: string;
}

async function livePartitions(): Promise<LivePartition[]> {
  const sinfo = await sshRun(`sinfo -h -o '%R|%c|%m|%G|%l'`);
  expect(sinfo.code, sinfo.stderr).toBe(0);
  return sinfo.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [name, cpus, memoryMb, gres, limit] = line.split('|');
      const gpus = Number(gres.match(/gpu(?::[^:,(]+)?:(\d+)/)?.[1] ?? 0);
      const time = /^(?:(\d+)-)?(\d+):(\d+):\d+$/.exec(limit);
      const hours = time ? Number(time[1] ?? 0) * 24 + Number(time[2]) : 0;
      return {
        name,
        cpus: Number(cpus),
        memoryGb: Math.floor(Number(memoryMb) / 1024),
        gpus,
        timeWords: limit === 'infinite' ? 'no time limit' : `up to ${hours} h`,
      };
    });
}

test('each field of the form shows the limits the live cluster has', async ({ page, porthole, cluster }, testInfo) => {
  const live = await livePartitions();
  await page.goto(porthole.url);
  const name = await addTestCluster(page, cluster);
  await trustAndConnect(page, cluster, name);
  await chooseVncDesktop(page);
  const form = page.getByRole('form', { name: /^Launch / });

  // Partition: every partition of the cluster, each with its CPUs, memory, GPUs and time limit.
  const partition = form.getByRole('combobox', { name: 'Partition' });
  const options = (await partition.getByRole('option').allTextContents()).map((text) => text.trim());
  expect(options.map((text) => text.split(' ')[0])).toEqual(live.map((p) => p.name));
  for (const p of live) {
    const label = options.find((text) => text.startsWith(`${p.name} `))!;
    expect(label).toContain(`${p.cpus} CPUs`);
    expect(label).toContain(`${p.memoryGb} GB`);
    if (p.gpus) expect(label).toContain(`${p.gpus} GPU`);
    expect(label).toContain(p.timeWords);
  }

  // The number fields are bounded by the chosen partition where it is tighter than the template
  // (vnc-desktop allows up to 168 h, 128 CPUs, 2048 GB, 8 GPUs), and say so next to the field.
  const template = { hours: 168, cpus: 128, memoryGb: 2048, gpus: 8 };
  for (const p of live) {
    await partition.selectOption(p.name);
    await expect(partition).toHaveAccessibleDescription(new RegExp(`Per node: ${p.cpus} CPUs, ${p.memoryGb} GB.*${p.timeWords}`));
    const expected: [RegExp, number, boolean][] = [
      [/^CPUs/, Math.min(template.cpus, p.cpus), p.cpus < template.cpus],
      [/^Memory/, Math.min(template.memoryGb, p.memoryGb), p.memoryGb < template.memoryGb],
      [/^GPUs/, Math.min(template.gpus, p.gpus), p.gpus < template.gpus],
    ];
    if (p.timeWords === 'no time limit') expected.push([/^Hours/, template.hours, false]);
    else expected.push([/^Hours/, Math.min(template.hours, Number(p.timeWords.match(/\d+/)![0])), true]);
    for (const [label, max, byCluster] of expected) {
      const field = form.getByRole('spinbutton', { name: label });
      await expect(field).toHaveAttribute('max', String(max));
      await expect(field).toHaveAccessibleDescription(new RegExp(`to ${max}${byCluster ? ` on partition ${p.name}` : '\\.'}`));
    }
  }
  await shot(page, testInfo, 'launch-form-limits');
});
