import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_METHODS, type ApiEvent, type ApiMethodTable, type PortholeBridge } from '../../../main/api';
import { ApiCallError } from '../../../renderer/transport/api-call-error';
import { electronLink } from '../../../renderer/transport/electron-link';

function fakeBridge(api: Partial<PortholeBridge['api']>): PortholeBridge & { push(event: ApiEvent): void } {
  const handlers = new Set<(event: ApiEvent) => void>();
  return {
    api: api as PortholeBridge['api'],
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    push(event) {
      for (const handler of handlers) handler(event);
    },
  };
}

describe('the Electron bridge as an ApiClient', () => {
  it('resolves with the result of the named preload function', async () => {
    const link = electronLink(fakeBridge({ 'clusters.list': async () => ({ result: [] }) }));
    assert.deepEqual(await link.call('clusters.list'), []);
  });

  it('rejects with the message and the field of an Api error', async () => {
    const link = electronLink(
      fakeBridge({ 'clusters.add': async () => ({ error: { message: "A cluster named 'hpc1' exists already", field: 'name' } }) }),
    );
    await assert.rejects(link.call('clusters.add', { name: 'hpc1', host: 'h' }), (error: unknown) => {
      assert.ok(error instanceof ApiCallError);
      assert.equal(error.field, 'name');
      assert.match(error.message, /exists already/);
      return true;
    });
  });

  it('passes events through and stops when unsubscribed', () => {
    const bridge = fakeBridge({});
    const link = electronLink(bridge);
    const seen: ApiEvent[] = [];
    const stop = link.subscribe((event) => seen.push(event));
    bridge.push({ type: 'promptClosed', id: 'p1' });
    stop();
    bridge.push({ type: 'promptClosed', id: 'p2' });
    assert.deepEqual(seen, [{ type: 'promptClosed', id: 'p1' }]);
    assert.equal(link.status, 'online');
  });
});

describe('the Api method list', () => {
  it('is derived from a table with one entry per method of ApiMethods, and no other', () => {
    assert.ok(API_METHODS.includes('clusters.info') && API_METHODS.includes('clusters.doctor'));
    const table = Object.fromEntries(API_METHODS.map((method) => [method, true])) as ApiMethodTable;
    const { 'clusters.doctor': _doctor, ...withoutDoctor } = table;
    // @ts-expect-error a method of ApiMethods without its entry does not compile
    const incomplete: ApiMethodTable = withoutDoctor;
    // @ts-expect-error nor does an entry for a method ApiMethods does not have
    const extra: ApiMethodTable = { ...table, clusterInfo: true };
    assert.ok(incomplete && extra);
  });
});
