// History: every session this workstation has seen, from the local cache, searchable, with
// the usage chart. It works with no network, and says when what it shows is cached.
import { useDeferredValue, useId, useMemo, useState } from 'react';
import { searchHistory } from '../../logic/history-search';
import { useAppStore } from '../app-context';
import type { SessionView } from '../../../main/api';
import { HistoryList } from './HistoryList';
import { UsageChart } from './UsageChart';

// The chart waits for the list: React first renders with this, then draws the chart right after,
// so the rows a person came for are on screen without waiting for 10,000 sessions to be summed.
const CHART_NOT_YET: SessionView[] = [];

export function HistoryView() {
  const id = useId();
  const records = useAppStore(
    (a) => a.history,
    (s) => s.records,
  );
  const loaded = useAppStore(
    (a) => a.history,
    (s) => s.loaded,
  );
  const liveCount = useAppStore(
    (a) => a.sessions,
    (s) => Object.keys(s.liveSince).length,
  );
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const found = useMemo(() => searchHistory(records, deferredQuery), [records, deferredQuery]);
  const sessions = useMemo(() => records.map((r) => r.session), [records]);
  // The chart's "now" moves with the records, not every second: it is a weekly chart.
  const chartNow = useMemo(() => (records.length >= 0 ? Date.now() : 0), [records]);
  const chartSessions = useDeferredValue(sessions, CHART_NOT_YET);

  return (
    <section aria-labelledby="history-title" className="view history-view">
      <h2 id="history-title">History</h2>
      <p className="muted">
        {liveCount === 0
          ? 'Saved on this computer; no cluster is live, so this is the cached record. '
          : 'Saved on this computer and kept up to date while clusters are connected. '}
        {loaded ? `${records.length} session${records.length === 1 ? '' : 's'}.` : 'Reading…'}
      </p>
      {chartSessions === CHART_NOT_YET && sessions.length > 0 ? (
        <div className="usage usage-pending" aria-hidden="true" />
      ) : (
        <UsageChart sessions={chartSessions} now={chartNow} />
      )}
      <div className="field inline">
        <label htmlFor={id}>Search history</label>
        <input
          id={id}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="template, cluster, node, state, value…"
        />
        <span className="muted small" role="status">
          {deferredQuery ? `${found.length} match${found.length === 1 ? '' : 'es'}` : ''}
        </span>
      </div>
      <HistoryList records={found} />
    </section>
  );
}
