// The launch form is bounded by the live cluster: a value out of bounds is shown next to its
// field, and Launch sends nothing.
import { agentMissing } from './agent-ready';
import { test, expect } from './fixtures';
import { addTestCluster, chooseVncDesktop, sessionsList, shot, trustAndConnect } from './steps';

test('an out-of-bounds value shows an error next to its field and launches nothing', async ({ page, porthole, cluster }, testInfo) => {
  test.skip(agentMissing() !== null, `Needs the real agent: ${agentMissing()}`);
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
