import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryDb } from '../../../renderer/history/history-db';
import type { HistoryRecord } from '../../../renderer/logic/history-search';
import { createHistoryStore } from '../../../renderer/stores/history-store';
import { session } from './session-fixtures';

/** An in-memory HistoryDb that keeps what each write held. */
function memoryDb(): HistoryDb & { writes: string[][] } {
  const stored = new Map<string, HistoryRecord>();
  const writes: string[][] = [];
  return {
    writes,
    loadAll: async () => [...stored.values()],
    putMany: async (records) => {
      writes.push(records.map((r) => `${r.key}:${r.session.state}`));
      for (const r of records) stored.set(r.key, r);
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('an ended session already kept as it is is not written again at each refresh; a change is, at once', async () => {
  const db = memoryDb();
  const history = createHistoryStore(db);
  const ended = Array.from({ length: 500 }, (_, i) =>
    session({
      id: `old${i}`,
      state: 'ended',
      end: 'completed',
      submittedAt: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00.000Z`,
    }),
  );
  const running = session({ id: 'new', state: 'ready', submittedAt: '2026-12-01T05:00:00.000Z' });
  history.getState().record([...ended, running], 1_000);
  await settle();
  assert.equal(db.writes.length, 1);
  assert.equal(db.writes[0].length, 501);

  // The next refresh lists the same 500 ended sessions and the one that just ended
  const justEnded = { ...running, state: 'ended' as const, end: 'cancelled' as const };
  history.getState().record([...ended, justEnded], 2_000);
  await settle();
  assert.deepEqual(db.writes[1], ['hpc1/new:ended']);
  assert.equal(history.getState().records[0].session.state, 'ended', 'the newest shows its end');
  assert.equal(history.getState().records.length, 501);

  // A live session is written at each sighting: its last sighting is shown while offline
  const live = session({ id: 'live', state: 'ready', submittedAt: '2026-12-01T06:00:00.000Z' });
  history.getState().record([live], 3_000);
  await settle();
  history.getState().record([live], 4_000);
  await settle();
  assert.equal(db.writes.length, 4);
  const reloaded = await createHistoryStore(db).getState().load();
  assert.equal(reloaded.find((r) => r.key === 'hpc1/live')?.lastSeenAt, 4_000);
});
