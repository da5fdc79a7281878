// Redis (and its Sentinel) on the login side's loopback, as the agent's optional session registry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Redis from 'ioredis';
import { loadTestCluster } from './fixture';

test('redis answers at redis.url and keeps a value', async () => {
  const { redis } = loadTestCluster();
  const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    assert.equal(await client.ping(), 'PONG');
    const key = `porthole-fixture-test:${process.pid}`;
    await client.set(key, 'kept', 'EX', 10);
    assert.equal(await client.get(key), 'kept');
  } finally {
    client.disconnect();
  }
});

test('the sentinel names the same redis as master, and a client through it reaches it', async () => {
  const { redis } = loadTestCluster();
  const sentinel = new Redis({ ...redis.sentinels[0], lazyConnect: true, maxRetriesPerRequest: 1 });
  const client = new Redis({ sentinels: redis.sentinels, name: redis.sentinelMasterName, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await sentinel.connect();
    const [host, port] = (await sentinel.call('SENTINEL', 'get-master-addr-by-name', redis.sentinelMasterName)) as string[];
    assert.equal(`redis://${host}:${port}`, redis.url);
    await client.connect();
    assert.equal(await client.ping(), 'PONG');
  } finally {
    sentinel.disconnect();
    client.disconnect();
  }
});
