import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterView } from '../../../main/api';
import { createClustersStore } from '../../../renderer/stores/clusters-store';
import type { ApiLink } from '../../../renderer/transport/link';

const demo: ClusterView = {
  config: { name: 'demo', host: '127.0.0.1', port: 22422, user: 'porthole' },
  connection: { cluster: 'demo', status: 'offline' },
};

/** A link whose clusters.addDemo answers once `release` is called, as test/cluster/up ends. */
function slowDemoLink() {
  let release: () => void = () => undefined;
  const link: ApiLink = {
    status: 'online',
    onStatus: () => () => undefined,
    subscribe: () => () => undefined,
    async call(method, ..._args) {
      if (method !== 'clusters.addDemo') throw new Error(`unexpected ${method}`);
      await new Promise<void>((resolve) => (release = resolve));
      return demo as never;
    },
  };
  return { link, release: () => release() };
}

test("the demo cluster's start-up lines are kept while it is not listed, and dropped once it is", async () => {
  const { link, release } = slowDemoLink();
  const store = createClustersStore(link);
  const adding = store.getState().addDemo();
  store
    .getState()
    .applyConnection({ cluster: 'demo', status: 'connecting', reason: 'Starting the demo cluster: [cluster] installing with apt' });
  assert.equal(store.getState().unlisted.demo?.reason, 'Starting the demo cluster: [cluster] installing with apt');
  assert.deepEqual(store.getState().clusters, []);
  release();
  await adding;
  assert.equal(store.getState().unlisted.demo, undefined);
  assert.deepEqual(
    store.getState().clusters.map((c) => c.config.name),
    ['demo'],
  );
});
