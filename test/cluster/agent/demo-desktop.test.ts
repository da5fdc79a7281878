// On the demo (test) cluster, `Desktop (VNC)` shows a desktop a newcomer recognises: a window
// manager with a panel and a terminal open, not Xvnc's empty black screen. Looked at on node01,
// as the session's owner with the session's own X cookie (the display accepts nobody else).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Session } from '../../../agent/protocol';
import { loadTestCluster, shellQuote } from '../fixture';
import { agentJson, cancelAll, installAgent, launch, waitForSession } from './agent-harness';
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

  /**
   * `ps` lines of the processes on node01 that carry the session's X cookie file in their
   * environment: every program of its desktop, even one that left the job's process tree.
   */
  function desktopProcesses(folder: string): string {
    const marker = `XAUTHORITY=${join(folder, 'xauthority')}`;
    const script = `for environ in /proc/[0-9]*/environ; do grep -qzxF ${shellQuote(marker)} "$environ" 2>/dev/null || continue; pid=\${environ#/proc/}; ps -o pid=,args= -p "\${pid%/environ}"; done`;
    return onNode('root', script).stdout.trim();
  }

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

  it('leaves no program of the desktop running once cancelled', async () => {
    const folder = join(cluster.ssh.home, '.porthole/sessions', session!.id);
    const running = desktopProcesses(folder);
    assert.ok(running.split('\n').length >= 3, `the desktop runs only:\n${running}`);
    await agentJson(['sessions.cancel', session!.id]);
    await waitForSession(session!.id, (s) => s.state === 'ended', 30_000);
    // Ended may come from Slurm a moment before the last program is reaped: 3 s for that.
    let left = desktopProcesses(folder);
    for (let i = 0; i < 30 && left; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = desktopProcesses(folder);
    }
    assert.equal(left, '', `still running after the session ended:\n${left}`);
  });
});
