// The tray's Open and a click on a notification (Electron) reach the page as an openSession
// event: the page then shows that session in the viewer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiEvent } from '../../../main/api';
import { createAppState, startApp } from '../../../renderer/stores/app-state';
import type { ApiLink } from '../../../renderer/transport/link';

test('an openSession event from main opens that session in the viewer', async () => {
  let push: (event: ApiEvent) => void = () => undefined;
  const link: ApiLink = {
    status: 'online',
    onStatus: () => () => undefined,
    subscribe: (handler) => ((push = handler), () => undefined),
    async call(method, ..._args) {
      if (method === 'clusters.list') return [] as never;
      throw new Error(`unexpected ${method}`);
    },
  };
  const app = createAppState(link, { loadAll: async () => [], putMany: async () => undefined });
  await startApp(app);
  assert.equal(app.ui.getState().view, 'clusters');
  push({ type: 'openSession', cluster: 'demo', id: 's1' });
  assert.deepEqual({ view: app.ui.getState().view, key: app.ui.getState().viewerKey }, { view: 'viewer', key: 'demo/s1' });
});
