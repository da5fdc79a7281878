// The tray: how many sessions are live, and a menu with each of them (Open, Cancel, and Keep
// running while an idle desktop's stop is coming) and Quit.
import type { SessionView } from '../api';
import type { ShellMenuItem } from './shell-menu';

export interface TrayActions {
  showWindow(): void;
  open(session: SessionView): void;
  cancel(session: SessionView): void;
  keepRunning(session: SessionView): void;
  quit(): void;
}

export function trayTooltip(live: SessionView[]): string {
  if (live.length === 0) return 'Porthole: no live sessions';
  return `Porthole: ${live.length} live session${live.length === 1 ? '' : 's'}`;
}

function sessionLabel(session: SessionView): string {
  return `${session.templateName} on ${session.cluster}${session.node ? ` (${session.node})` : ''}, ${session.state}`;
}

export function trayMenu(live: SessionView[], actions: TrayActions): ShellMenuItem[] {
  const sessions: ShellMenuItem[] = live.map((session) => ({
    label: sessionLabel(session),
    submenu: [
      // Only a ready session has a desktop to open; a queued one can only be cancelled.
      { label: 'Open', enabled: session.state === 'ready', click: () => actions.open(session) },
      { label: 'Cancel', click: () => actions.cancel(session) },
      ...(session.state === 'ready' && session.idleStopAt
        ? [{ label: 'Keep running (idle: stops soon)', click: () => actions.keepRunning(session) }]
        : []),
    ],
  }));
  return [
    { label: trayTooltip(live), enabled: false },
    ...sessions,
    { type: 'separator' },
    { label: 'Show Porthole', click: actions.showWindow },
    { label: 'Quit', click: actions.quit },
  ];
}
