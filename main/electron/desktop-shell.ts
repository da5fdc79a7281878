// The desktop around the window: a tray icon with the live sessions, notifications from main
// (shown while the window is hidden; a click opens that session), and closing the window
// keeping the app in the tray while sessions are live. The decisions are in main/shell/; this
// file wires them to Electron's objects, passed in so that unit tests give the shared fake.
import type { BrowserWindow, Menu, MenuItemConstructorOptions, NativeImage, Notification, Tray } from 'electron';
import type { ApiEvent, SessionView } from '../api';
import type { ApiBackend } from '../api-handlers';
import { LiveSessions } from '../shell/live-sessions';
import { SessionNotices, type SessionNotice } from '../shell/session-notices';
import { trayMenu, trayTooltip } from '../shell/tray-menu';
import { EVENT_CHANNEL } from './ipc-channels';

export interface DesktopShellElectron {
  Tray: new (image: NativeImage | string) => Pick<Tray, 'setToolTip' | 'setContextMenu' | 'on' | 'destroy'>;
  Menu: Pick<typeof Menu, 'buildFromTemplate'>;
  Notification: new (options: {
    title: string;
    body: string;
    actions?: { type: 'button'; text: string }[];
  }) => Pick<Notification, 'on' | 'show'>;
}

type ShellWindow = Pick<BrowserWindow, 'show' | 'focus' | 'hide' | 'isMinimized' | 'restore' | 'on'> & {
  webContents: Pick<BrowserWindow['webContents'], 'send' | 'isLoading' | 'once'>;
};

export interface DesktopShellOptions {
  electron: DesktopShellElectron;
  trayIcon: NativeImage | string;
  backend: Pick<ApiBackend, 'subscribe' | 'handlers'>;
  /** The main window, made when there is none. */
  mainWindow(): ShellWindow;
  quit(): void;
  now?: () => number;
  checkEndingEveryMs?: number;
  log?: (line: string) => void;
}

export class DesktopShell {
  private readonly live = new LiveSessions();
  private readonly notices = new SessionNotices();
  private readonly tray: ReturnType<DesktopShell['makeTray']>;
  /** Notifications are kept until clicked or closed: one Electron collects loses its click. */
  private readonly shown = new Set<object>();
  private readonly stopEvents: () => void;
  private readonly timer: ReturnType<typeof setInterval>;
  private quitting = false;
  private toldAboutTray = false;

  constructor(private readonly options: DesktopShellOptions) {
    this.tray = this.makeTray();
    this.stopEvents = options.backend.subscribe((event) => this.onEvent(event));
    const now = options.now ?? Date.now;
    this.timer = setInterval(() => this.notices.endingSoon(now()).forEach((n) => this.notify(n)), options.checkEndingEveryMs ?? 15_000);
    this.timer.unref?.();
  }

  /** Closing keeps the app in the tray while sessions are live, and says so the first time. */
  keepInTrayOnClose(window: ShellWindow): void {
    window.on('close', (event: { preventDefault(): void }) => {
      const count = this.live.list().length;
      if (this.quitting || count === 0) return;
      event.preventDefault();
      window.hide();
      if (this.toldAboutTray) return;
      this.toldAboutTray = true;
      const live = count === 1 ? '1 session is' : `${count} sessions are`;
      this.show('Porthole is still running', `It stays in the tray while ${live} live. Quit from the tray icon's menu.`);
    });
  }

  /** Called on the app's before-quit: from then on closing the window closes it. */
  markQuitting(): void {
    this.quitting = true;
  }

  stop(): void {
    clearInterval(this.timer);
    this.stopEvents();
    this.tray.destroy();
  }

  private makeTray() {
    const tray = new this.options.electron.Tray(this.options.trayIcon);
    tray.on('click', () => this.showWindow());
    return tray;
  }

  private onEvent(event: ApiEvent): void {
    if (this.live.apply(event)) this.refreshTray();
    const notice = this.notices.fromEvent(event);
    if (notice) this.notify(notice);
    const idleNotice = this.notices.idleStopFromEvent(event, (this.options.now ?? Date.now)());
    if (idleNotice) this.notify(idleNotice);
  }

  private refreshTray(): void {
    const live = this.live.list();
    this.tray.setToolTip(trayTooltip(live));
    const template = trayMenu(live, {
      showWindow: () => this.showWindow(),
      open: (session) => this.openSession(session),
      cancel: (session) => void this.cancel(session),
      keepRunning: (session) => void this.keepRunning(session),
      quit: () => this.options.quit(),
    });
    this.tray.setContextMenu(this.options.electron.Menu.buildFromTemplate(template as MenuItemConstructorOptions[]));
  }

  /** Shows the main window (made when there is none), restored and focused. */
  showWindow(): ShellWindow {
    const window = this.options.mainWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return window;
  }

  private openSession(session: SessionView): void {
    this.tellPage({ type: 'openSession', cluster: session.cluster, id: session.id });
  }

  /** A porthole://share/… link from the system: the page shows what it is and opens it when asked. */
  openShareLink(link: string): void {
    this.tellPage({ type: 'openShareLink', link });
  }

  private tellPage(event: ApiEvent): void {
    const contents = this.showWindow().webContents;
    // A window made just now has no page listening yet: tell it once it has loaded.
    if (contents.isLoading()) contents.once('did-finish-load', () => contents.send(EVENT_CHANNEL, event));
    else contents.send(EVENT_CHANNEL, event);
  }

  private async cancel(session: SessionView): Promise<void> {
    try {
      await this.options.backend.handlers['sessions.cancel'](session.cluster, session.id);
    } catch (error) {
      this.options.log?.(`cancel of ${session.cluster}/${session.id} from the tray failed: ${String(error)}`);
      this.show(`Could not cancel ${session.templateName}`, error instanceof Error ? error.message : String(error));
    }
  }

  private async keepRunning(session: SessionView): Promise<void> {
    try {
      await this.options.backend.handlers['sessions.keepRunning'](session.cluster, session.id);
    } catch (error) {
      this.options.log?.(`keep running of ${session.cluster}/${session.id} failed: ${String(error)}`);
      this.show(`Could not keep ${session.templateName} running`, error instanceof Error ? error.message : String(error));
    }
  }

  private notify(notice: SessionNotice): void {
    const keepRunning = notice.keepRunning ? () => void this.keepRunning(notice.session) : undefined;
    this.show(notice.title, notice.body, () => this.openSession(notice.session), keepRunning);
  }

  /** `onKeepRunning`: a Keep running button, where the OS shows notification buttons (macOS, Windows). */
  private show(title: string, body: string, onClick?: () => void, onKeepRunning?: () => void): void {
    const actions = onKeepRunning ? [{ type: 'button' as const, text: 'Keep running' }] : undefined;
    const notification = new this.options.electron.Notification({ title, body, ...(actions ? { actions } : {}) });
    this.shown.add(notification);
    notification.on('click', () => {
      this.shown.delete(notification);
      onClick?.();
    });
    notification.on('close', () => this.shown.delete(notification));
    if (onKeepRunning)
      notification.on('action', () => {
        this.shown.delete(notification);
        onKeepRunning();
      });
    notification.show();
  }
}
