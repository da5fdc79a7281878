// The local session cache (IndexedDB through idb): every session this workstation has seen,
// so History works with no network. One object store keyed by cluster/id.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { HistoryRecord } from '../logic/history-search';

export const HISTORY_DB_NAME = 'porthole-history';
export const HISTORY_STORE = 'sessions';

interface HistorySchema extends DBSchema {
  sessions: { key: string; value: HistoryRecord };
}

export interface HistoryDb {
  loadAll(): Promise<HistoryRecord[]>;
  putMany(records: HistoryRecord[]): Promise<void>;
}

export async function openHistoryDb(name = HISTORY_DB_NAME): Promise<HistoryDb> {
  let db: IDBPDatabase<HistorySchema>;
  try {
    db = await openDB<HistorySchema>(name, 1, {
      upgrade(database) {
        database.createObjectStore(HISTORY_STORE, { keyPath: 'key' });
      },
    });
  } catch (error) {
    // A browser with storage disabled still runs the app, with history for this visit only.
    console.warn('Session history is not kept: IndexedDB could not be opened', error);
    return { loadAll: async () => [], putMany: async () => undefined };
  }
  return {
    loadAll: () => db.getAll(HISTORY_STORE),
    async putMany(records) {
      if (records.length === 0) return;
      const tx = db.transaction(HISTORY_STORE, 'readwrite');
      await Promise.all([...records.map((r) => tx.store.put(r)), tx.done]);
    },
  };
}
