// With a cluster already connected, the page opens on Sessions once it knows its clusters; a view
// the person picked while the page was still loading stays (a reload, then a quick click on
// Clusters, was taken back to Sessions when the cluster list arrived).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterView } from '../../../main/api';
import { createAppState, startApp } from '../../../renderer/stores/app-state';
import type { ApiLink } from '../../../renderer/transport/link';

/** A link whose clusters.list answers when `answer()` is called: one connected cluster. */
function slowLink(): { link: ApiLink; answer: () => void } {
  let answer: () => void = () => undefined;
  const listed = new Promise<void>((resolve) => (answer = resolve));
  const connected = { config: { name: 'test' }, connection: { status: 'connected' } } as unknown as ClusterView;
  const link: ApiLink = {
    status: 'online',
    onStatus: () => () => undefined,
    subscribe: () => () => undefined,
    async call(method, ..._args) {
      if (method === 'clusters.list') return listed.then(() => [connected]) as never;
      if (method === 'sessions.list') return [] as never;
      return (await new Promise(() => undefined)) as never;
    },
  };
  return { link, answer: () => answer() };
}

const noCache = { loadAll: async () => [], putMany: async () => undefined };

test('with a connected cluster, the page opens on Sessions', async () => {
  const { link, answer } = slowLink();
  const app = createAppState(link, noCache);
  const started = startApp(app);
  answer();
  await started;
  assert.equal(app.ui.getState().view, 'sessions');
});

test('a view picked while the page loads is kept when the clusters arrive', async () => {
  const { link, answer } = slowLink();
  const app = createAppState(link, noCache);
  const started = startApp(app);
  app.ui.getState().show('clusters');
  answer();
  await started;
  assert.equal(app.ui.getState().view, 'clusters');
});
