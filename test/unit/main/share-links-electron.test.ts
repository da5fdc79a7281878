// porthole://share/… links from the system, against the shared Electron fake (Electron's binary
// cannot run here): at start, from a second start, from macOS's open-url, and on to the page;
// porthole://app, the window's own scheme, is unchanged.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent } from '../../../main/api';
import type { ApiHandlers } from '../../../main/api-handlers';
import { DesktopShell } from '../../../main/electron/desktop-shell';
import { EVENT_CHANNEL } from '../../../main/electron/ipc-channels';
import { registerRendererProtocol } from '../../../main/electron/renderer-protocol';
import { receiveShareLinks } from '../../../main/electron/share-links';
import { holdSingleInstance } from '../../../main/electron/single-instance';
import { shareLinkIn } from '../../../main/shell/share-link-arg';
import { FakeApp, FakeBrowserWindow, FakeMenu, FakeNotification, FakeTray, fakeProtocol, resetFakeElectron } from '../../fakes/electron';

const LINK = 'porthole://share/1/eyJjIjoidGVzdCJ9';

beforeEach(resetFakeElectron);
let shell: DesktopShell | undefined;
afterEach(() => shell?.stop());

test('a share link in the command line is found among Chromium switches; nothing else is taken for one', () => {
  assert.equal(shareLinkIn(['/opt/Porthole/porthole', '--no-sandbox', LINK]), LINK);
  assert.equal(shareLinkIn(['porthole', 'PORTHOLE://share/1/x']), 'PORTHOLE://share/1/x');
  assert.equal(shareLinkIn(['porthole', 'porthole://app/index.html', 'https://example.org/share/1/x']), undefined);
});

test('the packaged app becomes the porthole: handler; a bare Electron in development does not', () => {
  const packaged = new FakeApp();
  packaged.isPackaged = true;
  receiveShareLinks(packaged as never, [], () => undefined);
  assert.deepEqual(packaged.protocolClientOf, ['porthole']);
  const development = new FakeApp();
  receiveShareLinks(development as never, [], () => undefined);
  assert.deepEqual(development.protocolClientOf, []);
});

test('a link the app was started with, and one macOS hands over later, are delivered; other URLs are not', () => {
  const app = new FakeApp(['porthole', LINK]);
  const delivered: string[] = [];
  receiveShareLinks(app as never, app.argv, (link) => delivered.push(link));
  assert.deepEqual(delivered, [LINK]);
  assert.equal(app.openUrl(`${LINK}2`), true, 'taken, so macOS does not look for another handler');
  app.openUrl('porthole://app/index.html');
  assert.deepEqual(delivered, [LINK, `${LINK}2`]);
});

test('a second start with a link hands the link to the first instance and quits', () => {
  const first = new FakeApp();
  const handed: string[][] = [];
  assert.equal(
    holdSingleInstance(first as never, (argv) => handed.push(argv)),
    true,
  );
  const second = new FakeApp(['porthole', '--flag', LINK]);
  assert.equal(
    holdSingleInstance(second as never, () => assert.fail('the second instance must start nothing')),
    false,
  );
  assert.equal(shareLinkIn(handed[0] ?? []), LINK);
  assert.equal(second.quitCalls, 1);
});

test('the shell shows the window and tells the page about the link, once the page has loaded', () => {
  const window = new FakeBrowserWindow({});
  window.webContents.loading = true;
  shell = new DesktopShell({
    electron: { Tray: FakeTray, Menu: FakeMenu, Notification: FakeNotification } as never,
    trayIcon: 'icon.png',
    backend: { subscribe: () => () => undefined, handlers: {} as ApiHandlers },
    mainWindow: () => window as never,
    quit: () => undefined,
  });
  shell.openShareLink(LINK);
  assert.equal(window.visible, true);
  assert.equal(window.webContents.sent.length, 0, 'not before the page listens');
  window.webContents.emit('did-finish-load');
  const event: ApiEvent = { type: 'openShareLink', link: LINK };
  assert.deepEqual(window.webContents.sent.at(-1), { channel: EVENT_CHANNEL, args: [event] });
});

test('porthole://app still serves the page, and a share link is never served as a file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-share-scheme-'));
  try {
    await writeFile(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    registerRendererProtocol(fakeProtocol as never, dir);
    assert.equal((await fakeProtocol.fetch('porthole://app/index.html')).status, 200);
    assert.equal((await fakeProtocol.fetch(LINK)).status, 404);
    assert.equal((await fakeProtocol.fetch('porthole://share/index.html')).status, 404);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
