// Search over the local session history. A record's text is lower-cased once when it is
// stored (`searchText`), so a search over 10,000 sessions is one pass of `includes` per word.
import type { SessionView } from '../../main/api';
import { stateWords } from './state-words';

export interface HistoryRecord {
  /** sessionKey(): cluster/id. */
  key: string;
  session: SessionView;
  /** When this workstation last heard of the session from its cluster (epoch ms). */
  lastSeenAt: number;
  searchText: string;
}

export function searchTextOf(session: SessionView): string {
  const values = Object.entries(session.values).map(([k, v]) => `${k}=${String(v)}`);
  return [
    session.templateName,
    session.templateId,
    session.cluster,
    session.id,
    session.jobId,
    session.node ?? '',
    stateWords(session),
    session.reason ?? '',
    session.submittedAt,
    ...values,
  ]
    .join(' ')
    .toLowerCase();
}

export function toHistoryRecord(key: string, session: SessionView, lastSeenAt: number): HistoryRecord {
  return { key, session, lastSeenAt, searchText: searchTextOf(session) };
}

/** Records whose text holds every word of the query, in the order given (newest first upstream). */
export function searchHistory(records: readonly HistoryRecord[], query: string): HistoryRecord[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return records as HistoryRecord[];
  return records.filter((r) => words.every((w) => r.searchText.includes(w)));
}

/** Newest submitted first. ISO times compare as strings. */
export function newestFirst(a: HistoryRecord, b: HistoryRecord): number {
  return a.session.submittedAt < b.session.submittedAt ? 1 : a.session.submittedAt > b.session.submittedAt ? -1 : 0;
}
