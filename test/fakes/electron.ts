// The one fake of `electron` for unit tests (a fake, not the real module: Electron's binary
// cannot run on these machines). ipcMain and ipcRenderer are wired to each other, so a test
// exercises the preload and the IPC handlers together, the way a window would.
import { EventEmitter } from 'node:events';

type Handler = (event: FakeInvokeEvent, ...args: unknown[]) => unknown;

export interface FakeInvokeEvent {
  senderFrame: { url: string } | null;
  sender: FakeWebContents;
}

export class FakeWebContents extends EventEmitter {
  sent: { channel: string; args: unknown[] }[] = [];
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  constructor(public url = 'porthole://app/index.html') {
    super();
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
    fakeIpcRenderer.deliver(channel, ...args);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** True while a page is loading (set it to test a message to a window made just now). */
  loading = false;
  isLoading(): boolean {
    return this.loading;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  /** Fires a cancellable event the way Electron does; returns true when a listener prevented it. */
  attempt(eventName: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(eventName, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
}

export class FakeIpcRenderer {
  private readonly emitter = new EventEmitter();
  /** Which page the renderer side pretends to be (set a foreign URL to test sender checks). */
  frameUrl = 'porthole://app/index.html';
  readonly contents = new FakeWebContents();
  constructor(private readonly main: () => FakeIpcMain) {}
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.main().handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    // Electron clones arguments across processes: so does the fake.
    return structuredClone(await handler({ senderFrame: { url: this.frameUrl }, sender: this.contents }, ...structuredClone(args)));
  }
  on(channel: string, listener: (...args: unknown[]) => void): this {
    this.emitter.on(channel, listener);
    return this;
  }
  removeListener(channel: string, listener: (...args: unknown[]) => void): this {
    this.emitter.removeListener(channel, listener);
    return this;
  }
  deliver(channel: string, ...args: unknown[]): void {
    this.emitter.emit(channel, { sender: null }, ...structuredClone(args));
  }
}

export let fakeIpcMain = new FakeIpcMain();
export const fakeIpcRenderer = new FakeIpcRenderer(() => fakeIpcMain);

export const fakeContextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  },
};

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  visible = false;
  minimized = false;
  focused = false;
  constructor(readonly options: { webPreferences?: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  /** The user closes the window: true when a listener kept it open (preventDefault). */
  close(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.visible = false;
    return prevented;
  }
}

type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl?: string },
) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, requestingOrigin: string) => boolean;

export const fakeSession = {
  permissionRequestHandler: null as null | PermissionRequestHandler,
  permissionCheckHandler: null as null | PermissionCheckHandler,
  setPermissionRequestHandler(handler: PermissionRequestHandler) {
    this.permissionRequestHandler = handler;
  },
  setPermissionCheckHandler(handler: PermissionCheckHandler) {
    this.permissionCheckHandler = handler;
  },
};

/**
 * app, as far as the shell uses it. The single-instance lock is shared by every FakeApp, as
 * Electron's is by every process of the same app: a second one asking for it is refused, and
 * the holder gets 'second-instance'.
 */
export class FakeApp extends EventEmitter {
  static lockHolder: FakeApp | null = null;
  quitCalls = 0;
  isPackaged = false;
  /** Schemes this app was made the system's handler of (setAsDefaultProtocolClient). */
  protocolClientOf: string[] = [];
  /** @param argv this instance's command line, handed to the first instance when it is a second start. */
  constructor(readonly argv: string[] = ['porthole']) {
    super();
  }
  setAsDefaultProtocolClient(scheme: string): boolean {
    this.protocolClientOf.push(scheme);
    return true;
  }
  /** macOS hands over a link: true when a listener took it (preventDefault), as Electron asks. */
  openUrl(url: string): boolean {
    let prevented = false;
    this.emit('open-url', { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
  requestSingleInstanceLock(): boolean {
    if (FakeApp.lockHolder && FakeApp.lockHolder !== this) {
      FakeApp.lockHolder.emit('second-instance', {}, this.argv, '/');
      return false;
    }
    FakeApp.lockHolder = this;
    return true;
  }
  quit(): void {
    this.quitCalls += 1;
  }
}

export interface FakeMenuItem {
  label?: string;
  role?: string;
  type?: string;
  enabled?: boolean;
  click?: () => void;
  submenu?: FakeMenuItem[];
}

/** Menu.buildFromTemplate: the menu is its template, so a test reads and clicks its items. */
export const FakeMenu = {
  buildFromTemplate(template: FakeMenuItem[]): { items: FakeMenuItem[] } {
    return { items: template };
  },
};

export class FakeTray extends EventEmitter {
  static created: FakeTray[] = [];
  toolTip = '';
  menu: { items: FakeMenuItem[] } | null = null;
  destroyed = false;
  constructor(readonly image: unknown) {
    super();
    FakeTray.created.push(this);
  }
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  setContextMenu(menu: { items: FakeMenuItem[] } | null): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** The menu item at a path of labels, e.g. ['Desktop on demo, ready', 'Open']. */
  item(...labels: string[]): FakeMenuItem {
    let items = this.menu?.items ?? [];
    let found: FakeMenuItem | undefined;
    for (const label of labels) {
      found = items.find((i) => i.label === label);
      if (!found) throw new Error(`No tray menu item '${label}' among: ${items.map((i) => i.label ?? i.type).join(', ')}`);
      items = found.submenu ?? [];
    }
    return found as FakeMenuItem;
  }
}

export class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = [];
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
}

/** protocol.handle: keeps each scheme's handler, and asks it as Chromium would, with a Request. */
export class FakeProtocol {
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (this.handlers.has(scheme)) throw new Error(`The scheme '${scheme}' is already handled`);
    this.handlers.set(scheme, handler);
  }
  async fetch(url: string): Promise<Response> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`No handler for ${url}`);
    return handler(new Request(url));
  }
}

export let fakeProtocol = new FakeProtocol();

/** A clean fake between tests. */
export function resetFakeElectron(): void {
  fakeIpcMain = new FakeIpcMain();
  fakeProtocol = new FakeProtocol();
  fakeIpcRenderer.frameUrl = 'porthole://app/index.html';
  fakeContextBridge.exposed.clear();
  FakeBrowserWindow.created = [];
  FakeApp.lockHolder = null;
  FakeTray.created = [];
  FakeNotification.shown = [];
}
