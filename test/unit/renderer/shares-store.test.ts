// The watcher's side in the page: a link the system hands over opens the paste dialog with it
// (nothing connects before the person says Open); opening watches the share, and every later
// stream is asked for through the same cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiEvent, SharedViewerTarget } from '../../../main/api';
import { createAppState, startApp } from '../../../renderer/stores/app-state';
import type { ApiLink } from '../../../renderer/transport/link';

const LINK = 'porthole://share/1/abc';

function fakeLink(calls: unknown[][]): { link: ApiLink; push: (event: ApiEvent) => void } {
  let push: (event: ApiEvent) => void = () => undefined;
  let stream = 0;
  const link: ApiLink = {
    status: 'online',
    onStatus: () => () => undefined,
    subscribe: (handler) => ((push = handler), () => undefined),
    async call(method, ...args) {
      calls.push([method, ...args]);
      if (method === 'clusters.list') return [] as never;
      if (method === 'shares.open') {
        stream += 1;
        const target: SharedViewerTarget = {
          url: `ws://127.0.0.1:1/viewer?token=t${stream}`,
          cluster: (args[1] as string | undefined) ?? 'work',
          owner: 'alice',
          sessionId: '20261130-2140-abcde',
          expiresAt: '2026-12-01T05:59:00.000Z',
          viewOnly: true,
        };
        return target as never;
      }
      throw new Error(`unexpected ${method}`);
    },
  };
  return { link, push: (event) => push(event) };
}

test('a share link from the system opens the paste dialog with the link in it, and connects nothing', async () => {
  const calls: unknown[][] = [];
  const { link, push } = fakeLink(calls);
  const app = createAppState(link, { loadAll: async () => [], putMany: async () => undefined });
  await startApp(app);
  push({ type: 'openShareLink', link: LINK });
  assert.equal(app.shares.getState().pasting, LINK);
  assert.deepEqual(
    calls.map((c) => c[0]),
    ['clusters.list'],
  );
});

test('Open watches the share and closes the dialog; each later stream goes through the same cluster', async () => {
  const calls: unknown[][] = [];
  const { link } = fakeLink(calls);
  const app = createAppState(link, { loadAll: async () => [], putMany: async () => undefined });
  app.shares.getState().offer(LINK);
  const watching = await app.shares.getState().open(`  ${LINK}\n`);
  assert.equal(app.shares.getState().pasting, undefined);
  assert.deepEqual({ cluster: watching.cluster, url: watching.first.url }, { cluster: 'work', url: 'ws://127.0.0.1:1/viewer?token=t1' });
  const again = await app.shares.getState().reopen();
  assert.equal(again.url, 'ws://127.0.0.1:1/viewer?token=t2', 'a fresh stream URL each time');
  assert.deepEqual(calls.at(-1), ['shares.open', LINK, 'work']);
  app.shares.getState().stopWatching();
  await assert.rejects(app.shares.getState().reopen(), /No shared desktop is open/);
});
