// Template icons are drawings shipped in the app, not emoji (which show as empty boxes where no
// emoji font is installed, as in Debian's Chromium here): each shipped template names its own,
// and a template naming one the app does not know gets the default icon.
import { test, expect } from './fixtures';
import { addTestCluster, shot, trustAndConnect } from './steps';
import { sshRun } from '../cluster/fixture';

const UNKNOWN_ICON_TEMPLATE = {
  id: 'unknown-icon',
  name: 'Unknown icon (tests only)',
  description: 'A template whose icon is a name the app does not know.',
  icon: 'no-such-icon',
  kind: 'vnc',
  fields: [{ name: 'hours', type: 'number', label: 'Hours', default: 0.1, min: 0.0166, max: 1 }],
};

test('each template shows a drawn icon, its own or the default one, and no emoji', async ({ page, porthole, cluster }, testInfo) => {
  const folder = `~/.porthole/templates/${UNKNOWN_ICON_TEMPLATE.id}`;
  const installed = await sshRun(`mkdir -p ${folder} && cat > ${folder}/template.json && printf 'exit 1\\n' > ${folder}/job.sh`, {
    input: JSON.stringify(UNKNOWN_ICON_TEMPLATE),
  });
  expect(installed.code, installed.stderr).toBe(0);
  try {
    await page.goto(porthole.url);
    const name = await addTestCluster(page, cluster);
    await trustAndConnect(page, cluster, name);
    await page.getByRole('link', { name: 'Launch' }).click();
    const templates = page.getByRole('list', { name: 'Templates' });
    const expected: [RegExp, string][] = [
      [/^Desktop \(VNC\)/, 'desktop'],
      [/^Terminal \(xterm\)/, 'terminal'],
      [/^GPU desktop \(Moonlight\)/, 'gpu'],
      [/^Unknown icon/, 'package'],
    ];
    for (const [card, icon] of expected) {
      const button = templates.getByRole('button', { name: card });
      const drawing = button.locator('svg');
      await expect(drawing).toHaveAttribute('data-icon', icon);
      const box = await drawing.boundingBox();
      expect(box?.width, `the ${icon} icon is drawn at a size one can see`).toBeGreaterThanOrEqual(20);
      // No emoji left in the card: it would be an empty box without an emoji font.
      expect(await button.textContent()).not.toMatch(/\p{Extended_Pictographic}/u);
    }
    await shot(page, testInfo, 'launch-templates');
  } finally {
    await sshRun(`rm -rf ${folder}`);
  }
});
