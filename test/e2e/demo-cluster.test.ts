// The demo cluster can take minutes to start on a fresh machine (test/cluster/up installs with
// apt): its progress shows in the window while it starts, not on a terminal nobody sees. Here the
// cluster is already up and `up` prints all its lines within milliseconds, so once its first
// line has reached the page, everything after it is held back a moment on its way (in order):
// the check sees that line instead of racing the next ones.
import { test, expect } from './fixtures';

const HOLD_MS = 3000;
const PROGRESS = 'Starting the demo cluster: ';

test('while the demo cluster starts, its progress shows under the button, then the cluster is added', async ({ page, porthole }) => {
  await page.routeWebSocket(/\/api\?/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    let holding = false;
    server.onMessage((message) => {
      if (holding) setTimeout(() => ws.send(message), HOLD_MS);
      else ws.send(message);
      holding ||= String(message).includes(PROGRESS);
    });
  });
  await page.goto(porthole.url);
  await page.getByRole('button', { name: 'Use the demo cluster' }).click();
  await expect(page.getByRole('button', { name: 'Starting the demo cluster…' })).toBeDisabled();
  await expect(page.getByText(`${PROGRESS}Porthole test cluster reused`)).toBeVisible();
  const demo = page.getByRole('list', { name: 'Configured clusters' }).getByRole('listitem').filter({ hasText: 'demo' });
  await expect(demo).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(PROGRESS)).toHaveCount(0);
});
