// An idle desktop's coming stop in the Electron shell, against the shared Electron fake: a
// notification once per stop time with a Keep running button, a Keep running entry in the tray,
// and both asking main's Api for sessions.keepRunning on the session's cluster.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { ApiEvent, SessionView } from '../../../main/api';
import type { ApiHandlers } from '../../../main/api-handlers';
import { DesktopShell } from '../../../main/electron/desktop-shell';
import { FakeMenu, FakeNotification, FakeTray, FakeBrowserWindow, resetFakeElectron } from '../../fakes/electron';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const inNineMinutes = new Date(NOW + 8.5 * 60_000).toISOString();

function session(state: SessionView['state'], extra: Partial<SessionView> = {}): SessionView {
  return { id: 's1', state, cluster: 'demo', templateName: 'Desktop', kind: 'vnc', templateId: 'vnc-desktop', ...extra } as SessionView;
}

let shell: DesktopShell | undefined;
beforeEach(resetFakeElectron);
afterEach(() => shell?.stop());

function start() {
  const listeners = new Set<(e: ApiEvent) => void>();
  const kept: string[] = [];
  const handlers = {
    'sessions.keepRunning': async (cluster: string, id: string) => {
      kept.push(`${cluster}/${id}`);
      return session('ready');
    },
  } as Partial<ApiHandlers>;
  shell = new DesktopShell({
    electron: { Tray: FakeTray, Menu: FakeMenu, Notification: FakeNotification } as never,
    trayIcon: 'icon.png',
    backend: { subscribe: (l) => (listeners.add(l), () => listeners.delete(l)), handlers: handlers as ApiHandlers },
    mainWindow: () => new FakeBrowserWindow({}) as never,
    quit: () => undefined,
    now: () => NOW,
    checkEndingEveryMs: 60_000,
  });
  const push = (s: SessionView) => listeners.forEach((l) => l({ type: 'session', session: s }));
  return { push, kept, tray: FakeTray.created[0] };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('an idle stop is notified once per stop time, with a Keep running button that keeps the session', async () => {
  const { push, kept } = start();
  push(session('ready'));
  push(session('ready', { idleStopAt: inNineMinutes }));
  push(session('ready', { idleStopAt: inNineMinutes }));
  assert.deepEqual(
    FakeNotification.shown.map((n) => n.options),
    [
      {
        title: 'Desktop: idle, stops in 9 min',
        body: 'No viewer and no input on demo: it will be stopped to free its node. Keep running to keep it.',
        actions: [{ type: 'button', text: 'Keep running' }],
      },
    ],
  );
  FakeNotification.shown[0].emit('action', {}, 0);
  await settle();
  assert.deepEqual(kept, ['demo/s1']);
  push(session('ready'));
  push(session('ready', { idleStopAt: inNineMinutes }));
  assert.equal(FakeNotification.shown.length, 2, 'idle again after a keep: a new warning');
});

test('the tray offers Keep running only while an idle stop is coming', async () => {
  const { push, kept, tray } = start();
  push(session('ready'));
  assert.deepEqual(
    tray.item('Desktop on demo, ready').submenu?.map((i) => i.label),
    ['Open', 'Cancel'],
  );
  push(session('ready', { idleStopAt: inNineMinutes }));
  tray.item('Desktop on demo, ready', 'Keep running (idle: stops soon)').click?.();
  await settle();
  assert.deepEqual(kept, ['demo/s1']);
});
