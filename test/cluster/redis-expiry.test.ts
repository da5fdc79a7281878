// How long the test cluster's real Redis keeps the agent's session records: a live session's
// while its job can run, an ended one's a set time after its end, which a refresh never renews.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import Redis from 'ioredis';
import type { Session } from '../../agent/protocol';
import { openRegistry, registryKey } from '../../agent/redis-registry';
import { loadTestCluster } from './fixture';

const HOUR = 3600_000;
// A user name of this run's own: no other test's records are read or touched.
const user = `expiry-test-${randomBytes(4).toString('hex')}`;
const { redis } = loadTestCluster();
const reader = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });

after(async () => {
  const keys = await reader.keys(registryKey(user, '*'));
  if (keys.length) await reader.del(...keys);
  reader.disconnect();
});

function session(id: string, fields: Partial<Session>): Session {
  return {
    id,
    templateId: 'xterm',
    jobId: '1',
    values: { hours: 2 },
    submittedAt: new Date(Date.now() - 3 * HOUR).toISOString(),
    state: 'ended',
    ...fields,
  };
}

async function ttlAfterPublishing(sessions: Session[], recordHoursAfterEnd: number, id: string): Promise<number> {
  const registry = await openRegistry({ url: redis.url }, user, () => undefined, recordHoursAfterEnd);
  try {
    assert.equal(await registry.publish(sessions, new Date()), true, registry.status().message);
  } finally {
    await registry.close();
  }
  return reader.ttl(registryKey(user, id));
}

describe('session records in Redis', () => {
  it('keep an ended session a day after its end by default, and a refresh does not renew it', async () => {
    const ended = session('20261130-100000-ended', { endedAt: new Date(Date.now() - HOUR).toISOString(), end: 'completed' });
    const first = await ttlAfterPublishing([ended], 24, ended.id);
    assert.ok(Math.abs(first - 23 * 3600) <= 5, `23 h left of the day after its end, got ${first} s`);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refreshed = await ttlAfterPublishing([ended], 24, ended.id);
    assert.ok(refreshed < first, `the refresh kept the expiry (${first} s, then ${refreshed} s), it did not start it again`);
  });

  it("follow site.json's hours after the end, and are not written again once they are over", async () => {
    const ended = session('20261130-100000-short', { endedAt: new Date(Date.now() - HOUR).toISOString(), end: 'failed' });
    const ttl = await ttlAfterPublishing([ended], 2, ended.id);
    assert.ok(Math.abs(ttl - 3600) <= 5, `1 h left of 2 h after its end, got ${ttl} s`);
    const over = session('20261130-100000-over', { endedAt: new Date(Date.now() - 3 * HOUR).toISOString(), end: 'failed' });
    assert.equal(await ttlAfterPublishing([over], 2, over.id), -2, 'a record whose time is over is not written');
  });

  it("keep a live session while its job can run, plus an hour's margin", async () => {
    const running = session('20261130-100000-live', { state: 'ready', endsAt: new Date(Date.now() + 2 * HOUR).toISOString() });
    const ttl = await ttlAfterPublishing([running], 24, running.id);
    assert.ok(Math.abs(ttl - 3 * 3600) <= 5, `2 h left plus 1 h, got ${ttl} s`);
  });
});
