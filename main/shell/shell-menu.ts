// Menus as plain data, built here without Electron so that tests read them; main/electron
// hands them to Menu.buildFromTemplate, whose item options this shape is a subset of.

export type ShellMenuRole =
  | 'appMenu'
  | 'close'
  | 'copy'
  | 'cut'
  | 'minimize'
  | 'paste'
  | 'quit'
  | 'redo'
  | 'reload'
  | 'resetZoom'
  | 'selectAll'
  | 'toggleDevTools'
  | 'togglefullscreen'
  | 'undo'
  | 'zoomIn'
  | 'zoomOut';

export interface ShellMenuItem {
  label?: string;
  role?: ShellMenuRole;
  type?: 'separator';
  enabled?: boolean;
  click?: () => void;
  submenu?: ShellMenuItem[];
}
