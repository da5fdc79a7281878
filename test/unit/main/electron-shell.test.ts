import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent } from '../../../main/api';
import { API_METHODS } from '../../../main/api';
import type { ApiBackend, ApiHandlers } from '../../../main/api-handlers';
import { PortholeError } from '../../../main/errors';
import { registerApiIpc } from '../../../main/electron/ipc';
import { buildPreloadApi } from '../../../main/electron/preload-api';
import { registerRendererProtocol } from '../../../main/electron/renderer-protocol';
import { holdSingleInstance } from '../../../main/electron/single-instance';
import { applyPermissionPolicy, createMainWindow } from '../../../main/electron/window';
import {
  FakeApp,
  FakeBrowserWindow,
  fakeIpcMain,
  fakeIpcRenderer,
  fakeProtocol,
  fakeSession,
  resetFakeElectron,
} from '../../fakes/electron';

beforeEach(resetFakeElectron);

function backend(): ApiBackend & { push(e: ApiEvent): void } {
  const listeners = new Set<(e: ApiEvent) => void>();
  return {
    handlers: {
      'clusters.list': async () => [{ config: { name: 'c', host: 'h' }, connection: { cluster: 'c', status: 'offline' } }],
      'sessions.logs': async (_c: string, id: string, lines?: number) => `${id}:${lines ?? 'all'}`,
      'clusters.connect': async (name: string) => {
        throw new PortholeError(`There is no cluster named '${name}'`, { field: 'name' });
      },
    } as unknown as ApiHandlers,
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    snapshot: () => [{ type: 'promptClosed', id: 'old' }],
    push: (e) => listeners.forEach((l) => l(e)),
  };
}

test('the preload exposes exactly the methods of API_METHODS, plus subscribe', () => {
  const api = buildPreloadApi(fakeIpcRenderer as never);
  assert.deepEqual(Object.keys(api.api).sort(), [...API_METHODS].sort());
  assert.equal(typeof api.subscribe, 'function');
  assert.equal('invoke' in api, false, 'ipcRenderer itself is never exposed');
});

test('a call from our page reaches its handler and comes back as an outcome', async () => {
  registerApiIpc(fakeIpcMain as never, backend());
  const { api } = buildPreloadApi(fakeIpcRenderer as never);
  assert.deepEqual(await api['clusters.list'](), {
    result: [{ config: { name: 'c', host: 'h' }, connection: { cluster: 'c', status: 'offline' } }],
  });
  assert.deepEqual(await api['sessions.logs']('c', 's1', 20), { result: 's1:20' });
  assert.deepEqual(await api['sessions.logs']('c', 's1'), { result: 's1:all' });
  assert.deepEqual(await api['clusters.connect']('x'), { error: { message: "There is no cluster named 'x'", field: 'name' } });
});

test('bad arguments are refused at the boundary, before a handler runs', async () => {
  registerApiIpc(fakeIpcMain as never, backend());
  const { api } = buildPreloadApi(fakeIpcRenderer as never);
  const outcome = await (api['sessions.logs'] as (...a: unknown[]) => Promise<unknown>)('c', "x'; rm", 20);
  assert.match(JSON.stringify(outcome), /session id/);
});

test('a call from any other page is refused', async () => {
  registerApiIpc(fakeIpcMain as never, backend());
  const { api } = buildPreloadApi(fakeIpcRenderer as never);
  fakeIpcRenderer.frameUrl = 'https://evil.example/';
  assert.deepEqual(await api['clusters.list'](), { error: { message: 'Refused: this page may not use the Porthole Api' } });
  fakeIpcRenderer.frameUrl = 'file:///tmp/x.html';
  assert.match(JSON.stringify(await api['clusters.list']()), /Refused/);
});

test('events reach a subscribed page: first the snapshot, then each new one; unsubscribe stops them', async () => {
  const b = backend();
  const ipc = registerApiIpc(fakeIpcMain as never, b);
  ipc.attach(fakeIpcRenderer.contents as never);
  const { subscribe } = buildPreloadApi(fakeIpcRenderer as never);
  const seen: ApiEvent[] = [];
  const unsubscribe = subscribe((e) => seen.push(e));
  await new Promise((r) => setImmediate(r));
  b.push({ type: 'promptClosed', id: 'new' });
  unsubscribe();
  b.push({ type: 'promptClosed', id: 'after' });
  assert.deepEqual(seen, [
    { type: 'promptClosed', id: 'old' },
    { type: 'promptClosed', id: 'new' },
  ]);
});

test('the window is isolated, sandboxed, without Node, and cannot navigate away or open windows', () => {
  const window = createMainWindow(FakeBrowserWindow as never, '/dist/main/preload.cjs');
  const fake = FakeBrowserWindow.created[0];
  assert.equal(window as unknown, fake);
  assert.deepEqual(
    { ...fake.options.webPreferences },
    {
      ...fake.options.webPreferences,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      preload: '/dist/main/preload.cjs',
    },
  );
  assert.equal(fake.loadedUrl, 'porthole://app/index.html');
  assert.equal(fake.webContents.attempt('will-navigate', 'https://evil.example/'), true);
  assert.equal(fake.webContents.attempt('will-navigate', 'porthole://app/index.html#x'), false);
  assert.equal(fake.webContents.attempt('will-attach-webview'), true);
  assert.deepEqual(fake.webContents.windowOpenHandler?.({ url: 'https://example.org' }), { action: 'deny' });
});

function requested(permission: string, requestingUrl: string): boolean | null {
  let granted: boolean | null = null;
  fakeSession.permissionRequestHandler?.(null, permission, (g) => (granted = g), { requestingUrl });
  return granted;
}

test('our page may write the clipboard and go fullscreen, when it asks and when Chromium checks', () => {
  applyPermissionPolicy(fakeSession as never);
  for (const permission of ['clipboard-sanitized-write', 'fullscreen']) {
    assert.equal(requested(permission, 'porthole://app/index.html'), true, permission);
    assert.equal(fakeSession.permissionCheckHandler?.(null, permission, 'porthole://app'), true, permission);
  }
});

test('everything else is refused to our page, notifications too (main shows them), and reading the clipboard', () => {
  applyPermissionPolicy(fakeSession as never);
  for (const permission of ['notifications', 'clipboard-read', 'media', 'geolocation', 'openExternal', 'keyboardLock', 'unknown']) {
    assert.equal(requested(permission, 'porthole://app/index.html'), false, permission);
    assert.equal(fakeSession.permissionCheckHandler?.(null, permission, 'porthole://app'), false, permission);
  }
});

test('another origin gets nothing, not even what our page may have', () => {
  applyPermissionPolicy(fakeSession as never);
  for (const url of ['https://evil.example/', 'porthole://other/index.html', 'file:///tmp/x.html', 'not a url', '']) {
    assert.equal(requested('fullscreen', url), false, url);
    assert.equal(fakeSession.permissionCheckHandler?.(null, 'clipboard-sanitized-write', url), false, url);
  }
});

test('a second start shows the first window and quits before it starts anything', () => {
  const first = new FakeApp();
  const shown: string[] = [];
  assert.equal(
    holdSingleInstance(first as never, () => shown.push('first')),
    true,
  );
  const second = new FakeApp();
  assert.equal(
    holdSingleInstance(second as never, () => shown.push('second')),
    false,
  );
  assert.deepEqual(shown, ['first'], 'the first instance shows its window, the second shows none');
  assert.equal(second.quitCalls, 1);
  assert.equal(first.quitCalls, 0);
});

test('porthole://app serves the renderer with the CSP, and nothing outside its folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'porthole-protocol-'));
  try {
    const rendererDir = join(dir, 'renderer');
    await mkdir(rendererDir);
    await mkdir(join(dir, 'renderer-x'));
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(dir, 'renderer-x', 'secret.txt'), 'not for the page');
    registerRendererProtocol(fakeProtocol as never, rendererDir);

    const page = await fakeProtocol.fetch('porthole://app/index.html');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(await page.text(), /id="root"/);
    assert.equal((await fakeProtocol.fetch('porthole://app/')).status, 200);

    // A sibling folder that shares the prefix, through an encoded slash; a bad escape; another host.
    for (const url of [
      'porthole://app/..%2frenderer-x%2fsecret.txt',
      'porthole://app/..%2Frenderer-x/secret.txt',
      'porthole://app/%E0%A4%A',
      'porthole://app/index.html%00',
      'porthole://other/index.html',
    ]) {
      const response = await fakeProtocol.fetch(url);
      assert.equal(response.status, 404, url);
      assert.doesNotMatch(await response.text(), /not for the page/, url);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
