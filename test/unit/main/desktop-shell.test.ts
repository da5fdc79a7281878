// The tray, notifications from main and closing to the tray, against the shared Electron fake.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiEvent, SessionView } from '../../../main/api';
import type { ApiHandlers } from '../../../main/api-handlers';
import { DesktopShell } from '../../../main/electron/desktop-shell';
import { EVENT_CHANNEL } from '../../../main/electron/ipc-channels';
import { appMenu } from '../../../main/shell/app-menu';
import { FakeBrowserWindow, FakeMenu, FakeNotification, FakeTray, resetFakeElectron } from '../../fakes/electron';

const NOW = Date.parse('2026-11-30T12:00:00Z');

function session(id: string, state: SessionView['state'], extra: Partial<SessionView> = {}): SessionView {
  return { id, state, cluster: 'demo', templateName: 'Desktop', kind: 'vnc', templateId: 'xfce', ...extra } as SessionView;
}

let shell: DesktopShell | undefined;

function start(handlers: Partial<ApiHandlers> = {}) {
  const listeners = new Set<(e: ApiEvent) => void>();
  const window = new FakeBrowserWindow({});
  const quits: string[] = [];
  shell = new DesktopShell({
    electron: { Tray: FakeTray, Menu: FakeMenu, Notification: FakeNotification } as never,
    trayIcon: 'icon.png',
    backend: { subscribe: (l) => (listeners.add(l), () => listeners.delete(l)), handlers: handlers as ApiHandlers },
    mainWindow: () => window as never,
    quit: () => quits.push('quit'),
    now: () => NOW,
    checkEndingEveryMs: 5,
  });
  shell.keepInTrayOnClose(window as never);
  const push = (s: SessionView) => listeners.forEach((l) => l({ type: 'session', session: s }));
  return { window, quits, push, tray: FakeTray.created[0] };
}

beforeEach(resetFakeElectron);
afterEach(() => shell?.stop());

test('the tray counts the live sessions and lists each with Open and Cancel, then Quit', () => {
  const { tray, push } = start();
  push(session('s1', 'ready', { node: 'node01' }));
  push(session('s2', 'queued'));
  assert.equal(tray.toolTip, 'Porthole: 2 live sessions');
  assert.deepEqual(
    tray.menu?.items.map((i) => i.label ?? i.type),
    ['Porthole: 2 live sessions', 'Desktop on demo (node01), ready', 'Desktop on demo, queued', 'separator', 'Show Porthole', 'Quit'],
  );
  assert.deepEqual(
    tray.item('Desktop on demo (node01), ready').submenu?.map((i) => [i.label, i.enabled !== false]),
    [
      ['Open', true],
      ['Cancel', true],
    ],
  );
  assert.equal(tray.item('Desktop on demo, queued', 'Open').enabled, false, 'a queued session has no desktop to open yet');

  push(session('s1', 'ended'));
  assert.equal(tray.toolTip, 'Porthole: 1 live session');
  assert.throws(() => tray.item('Desktop on demo (node01), ready'), /No tray menu item/);
});

test("the tray's Open shows the window and asks the page to open that session; Quit quits", () => {
  const { tray, push, window, quits } = start();
  push(session('s1', 'ready'));
  window.minimized = true;
  tray.item('Desktop on demo, ready', 'Open').click?.();
  assert.deepEqual(
    { visible: window.visible, minimized: window.minimized, focused: window.focused },
    { visible: true, minimized: false, focused: true },
  );
  assert.deepEqual(window.webContents.sent.at(-1), { channel: EVENT_CHANNEL, args: [{ type: 'openSession', cluster: 'demo', id: 's1' }] });
  tray.item('Quit').click?.();
  assert.deepEqual(quits, ['quit']);
});

test("the tray's Cancel cancels that session on its cluster, and says so when it cannot", async () => {
  const cancelled: string[] = [];
  let fail = false;
  const { tray, push } = start({
    'sessions.cancel': async (cluster: string, id: string) => {
      if (fail) throw new Error(`The cluster '${cluster}' is not connected`);
      cancelled.push(`${cluster}/${id}`);
      return session(id, 'ended');
    },
  } as Partial<ApiHandlers>);
  push(session('s2', 'queued'));
  tray.item('Desktop on demo, queued', 'Cancel').click?.();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(cancelled, ['demo/s2']);
  fail = true;
  tray.item('Desktop on demo, queued', 'Cancel').click?.();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    FakeNotification.shown.map((n) => n.options),
    [{ title: 'Could not cancel Desktop', body: "The cluster 'demo' is not connected" }],
  );
});

test('a session seen becoming ready is notified once, and clicking the notice opens it', () => {
  const { push, window } = start();
  push(session('old', 'ready'));
  assert.equal(FakeNotification.shown.length, 0, 'a session already ready when first seen is old news');
  push(session('s1', 'queued'));
  push(session('s1', 'starting'));
  push(session('s1', 'ready', { node: 'node01' }));
  push(session('s1', 'ready', { node: 'node01' }));
  assert.deepEqual(
    FakeNotification.shown.map((n) => n.options),
    [{ title: 'Desktop is ready', body: 'On demo (node01). Click to open it.' }],
  );
  window.hide();
  FakeNotification.shown[0].emit('click');
  assert.equal(window.visible, true);
  assert.deepEqual(window.webContents.sent.at(-1)?.args, [{ type: 'openSession', cluster: 'demo', id: 's1' }]);
});

test('a window made for the click gets the open request once its page has loaded', () => {
  const { push, window } = start();
  push(session('s1', 'queued'));
  push(session('s1', 'ready'));
  window.webContents.loading = true;
  FakeNotification.shown[0].emit('click');
  assert.equal(window.webContents.sent.length, 0);
  window.webContents.emit('did-finish-load');
  assert.deepEqual(window.webContents.sent.at(-1)?.args, [{ type: 'openSession', cluster: 'demo', id: 's1' }]);
});

test('a ready session is warned once, 10 minutes before its time ends', async () => {
  const { push } = start();
  push(session('late', 'ready', { endsAt: new Date(NOW + 60 * 60_000).toISOString() }));
  push(session('s1', 'ready', { endsAt: new Date(NOW + 9 * 60_000 + 1).toISOString() }));
  await new Promise((r) => setTimeout(r, 30));
  assert.deepEqual(
    FakeNotification.shown.map((n) => n.options.title),
    ['Desktop ends in 10 min'],
  );
});

test('closing the window with live sessions hides it in the tray and says so the first time only', () => {
  const { push, window } = start();
  window.show();
  push(session('s1', 'ready'));
  assert.equal(window.close(), true, 'the window is kept');
  assert.equal(window.visible, false);
  window.show();
  assert.equal(window.close(), true);
  assert.deepEqual(
    FakeNotification.shown.map((n) => n.options),
    [{ title: 'Porthole is still running', body: "It stays in the tray while 1 session is live. Quit from the tray icon's menu." }],
  );
});

test('closing the window with no live session, or while quitting, closes it', () => {
  const { push, window } = start();
  window.show();
  assert.equal(window.close(), false);
  push(session('s1', 'ready'));
  shell?.markQuitting();
  assert.equal(window.close(), false);
  assert.equal(FakeNotification.shown.length, 0);
});

test('the application menu has the usual roles and their shortcuts; developer tools only in development', () => {
  const roles = (items: ReturnType<typeof appMenu>): string[] =>
    items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);
  const linux = roles(appMenu({ isMac: false, developer: false, openLogs: () => undefined }));
  for (const role of [
    'close',
    'quit',
    'undo',
    'redo',
    'cut',
    'copy',
    'paste',
    'selectAll',
    'reload',
    'zoomIn',
    'zoomOut',
    'togglefullscreen',
    'minimize',
  ])
    assert.ok(linux.includes(role), role);
  assert.equal(linux.includes('toggleDevTools'), false);
  assert.equal(linux.includes('appMenu'), false);
  const mac = roles(appMenu({ isMac: true, developer: true, openLogs: () => undefined }));
  assert.ok(mac.includes('appMenu') && mac.includes('toggleDevTools'));
  assert.equal(mac.filter((r) => r === 'quit').length, 0, 'on macOS Quit is in the app menu');
});

test('Help › Open logs opens the log folder', () => {
  let opened = 0;
  const help = appMenu({ isMac: false, developer: false, openLogs: () => (opened += 1) }).find((item) => item.label === 'Help');
  const openLogs = help?.submenu?.find((item) => item.label === 'Open logs');
  assert.ok(openLogs?.click, 'no Open logs item in the Help menu');
  openLogs.click();
  assert.equal(opened, 1);
});
