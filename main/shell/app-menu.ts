// The application menu: the usual items and their shortcuts, by Electron's roles (which bring
// each platform's accelerators). In the viewer the remote desktop still gets Ctrl+W, Ctrl+R and
// Ctrl+Q: noVNC handles those keys (preventDefault), and Electron runs a menu accelerator only for
// a key the page left unhandled (its unhandled-keyboard-event path, on every platform).
import type { ShellMenuItem } from './shell-menu';

export function appMenu(options: { isMac: boolean; developer: boolean; openLogs: () => void }): ShellMenuItem[] {
  const view: ShellMenuItem[] = [
    { role: 'reload' },
    ...(options.developer ? [{ role: 'toggleDevTools' } as const] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(options.isMac ? [{ role: 'appMenu' } as const] : []),
    { label: 'File', submenu: [{ role: 'close' }, ...(options.isMac ? [] : [{ role: 'quit' } as const])] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: 'View', submenu: view },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
    // Where a person finds what to attach to a bug report.
    { label: 'Help', submenu: [{ label: 'Open logs', click: options.openLogs }] },
  ];
}
