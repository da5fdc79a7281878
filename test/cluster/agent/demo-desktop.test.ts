// On the demo (test) cluster, `Desktop (VNC)` shows a desktop a newcomer recognises: a window
// manager with a panel and a terminal open, not Xvnc's empty black screen. Looked at on node01,
// as the session's owner with the session's own X cookie (the display accepts nobody else).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Session } from '../../../agent/protocol';
import { loadTestCluster } from '../fixture';
import { cancelAll, installAgent, launch, waitForSession } from './agent-harness';
import { onNode } from './on-node';

const cluster = loadTestCluster();

/** The X class of each desktop's panel; twm has none, which is why it is the last choice. */
const PANEL_CLASS: Record<string, string> = { startxfce4: 'Xfce4-panel', 'icewm-session': 'TaskBar', icewm: 'TaskBar' };

describe('the demo desktop', () => {
  let session: Session | undefined;

  before(async () => {
    installAgent();
    const launched = await launch('vnc-desktop', { hours: '0.25', runtime: 'native', resolution: '1280x800' });
    session = launched;
    session = await waitForSession(launched.id, (s) => s.state === 'ready' || s.state === 'ended', 60_000);
    assert.equal(session.state, 'ready', JSON.stringify(session));
  });

  after(() => cancelAll([session]));

  it('shows a window manager with a panel and an open terminal, not an empty screen', () => {
    const folder = join(cluster.ssh.home, '.porthole/sessions', session!.id);
    const log = readFileSync(join(folder, 'output.log'), 'utf8');
    const display = /X server ready on display :(\d+)/.exec(log)?.[1];
    const desktop = /porthole: desktop: (?:vglrun \S+ \S+ )?(\S+)/.exec(log)?.[1];
    assert.ok(display && desktop, `the job log names no display or desktop:\n${log}`);
    const panel = PANEL_CLASS[desktop];
    assert.ok(panel, `the desktop is ${desktop}, which has no panel (install icewm or xfce4 on the nodes)`);
    // Visible windows by X class, as the owner would see them; the window manager may take a moment to map its panel.
    const visible = (xClass: string) =>
      onNode(
        cluster.ssh.user,
        `export DISPLAY=:${display} XAUTHORITY=${join(folder, 'xauthority')}; ` +
          `for i in $(seq 50); do xdotool search --onlyvisible --class '^${xClass}$' && exit 0; sleep 0.2; done; exit 1`,
      );
    const panelWindows = visible(panel);
    assert.equal(panelWindows.code, 0, `no ${panel} panel on display :${display} (${desktop}): ${panelWindows.stderr}`);
    // A whole desktop (Xfce) opens its own terminal from the panel; a lighter one gets an xterm.
    if (desktop !== 'startxfce4') {
      const terminal = visible('XTerm');
      assert.equal(terminal.code, 0, `no terminal on display :${display} beside ${desktop}: ${terminal.stderr}`);
    }
  });
});
