// Every session ever seen, from IndexedDB, newest first; new sightings are written back at
// once, a burst of session events as one transaction.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SessionView } from '../../main/api';
import type { HistoryDb } from '../history/history-db';
import { newestFirst, toHistoryRecord, type HistoryRecord } from '../logic/history-search';
import { sessionKey } from '../logic/session-key';

export interface HistoryState {
  records: HistoryRecord[];
  loaded: boolean;
  load(): Promise<HistoryRecord[]>;
  record(sessions: SessionView[], at: number): void;
}

export const HISTORY_LOAD_MEASURE = 'porthole:history:load';

export function createHistoryStore(db: HistoryDb): StoreApi<HistoryState> {
  let queued: HistoryRecord[] = [];
  let flushing = false;
  const flush = () => {
    flushing = false;
    const batch = queued;
    queued = [];
    void db.putMany(batch).catch((error) => console.warn('Could not save sessions to the local history', error));
  };
  return createStore<HistoryState>((set, get) => ({
    records: [],
    loaded: false,
    async load() {
      const started = performance.now();
      const stored = await db.loadAll();
      // Sessions heard of before the cache finished loading win over their older copies.
      const byKey = new Map(stored.map((r) => [r.key, r]));
      for (const r of get().records) byKey.set(r.key, r);
      const records = [...byKey.values()].sort(newestFirst);
      set({ records, loaded: true });
      // For the bench, like the viewer's marks: how long the cache took to come up at start.
      performance.measure(HISTORY_LOAD_MEASURE, { start: started });
      return records;
    },
    record(sessions, at) {
      // A cluster's list repeats every ended session at each refresh (thousands for a long-time
      // user, each refresh a transaction of all of them): one kept as it is need not be written
      // again. Ended is final, and an ended session's last sighting is never shown.
      const kept = new Map(get().records.map((r) => [r.key, r.session]));
      const changed = sessions.filter((s) => {
        const before = s.state === 'ended' ? kept.get(sessionKey(s)) : undefined;
        return !before || JSON.stringify(before) !== JSON.stringify(s);
      });
      if (changed.length === 0) return;
      const fresh = changed.map((s) => toHistoryRecord(sessionKey(s), s, at));
      const freshKeys = new Set(fresh.map((r) => r.key));
      set({ records: [...fresh, ...get().records.filter((r) => !freshKeys.has(r.key))].sort(newestFirst) });
      queued.push(...fresh);
      // One transaction per burst of events (those of one tick), written at once: a reload or a
      // closed window right after must not lose the last state.
      if (!flushing) {
        flushing = true;
        queueMicrotask(flush);
      }
    },
  }));
}
