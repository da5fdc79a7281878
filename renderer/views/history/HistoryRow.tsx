// One past (or current) session in History: what, where, when, how it ended, with what values.
import type { HistoryRecord } from '../../logic/history-search';
import { formatDuration } from '../../logic/durations';
import { stateWords } from '../../logic/state-words';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function HistoryRow({ record }: { record: HistoryRecord }) {
  const s = record.session;
  const started = s.startedAt ? Date.parse(s.startedAt) : NaN;
  const ended = s.endedAt ? Date.parse(s.endedAt) : NaN;
  const ran = Number.isNaN(started) || Number.isNaN(ended) ? '' : ` · ran ${formatDuration(ended - started)}`;
  const values = Object.entries(s.values)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return (
    <div className="history-row">
      <div className="history-main">
        <strong>{s.templateName}</strong> <span className="muted">on {s.cluster}</span>
        <span className="history-state">{stateWords(s)}</span>
      </div>
      <div className="muted small history-detail">
        {dateTime.format(new Date(s.submittedAt))}
        {ran}
        {s.node ? ` · ${s.node}` : ''} · job {s.jobId}
        {values ? ` · ${values}` : ''}
        {s.reason && s.state === 'ended' ? ` · ${s.reason}` : ''}
      </div>
    </div>
  );
}
