// A cluster's connection state in words: "Offline, reconnecting — the connection was closed · in 4 s".
// Only the state and its reason are in the live region: the countdown redraws every half
// second and would have a screen reader announce it each time.
import type { ConnectionState } from '../../../main/api';
import { connectionWords } from '../../logic/connection-words';
import { useNow } from '../common/use-now';

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const now = useNow(500);
  const { label, countdown, detail, tone } = connectionWords(state, now);
  return (
    <div className="connection">
      <p aria-live="polite">
        <span className={`badge badge-${tone}`}>{label}</span>
        {detail ? <span className="connection-reason"> {detail}</span> : null}
      </p>
      {countdown ? <p className="muted small">Next attempt {countdown}</p> : null}
      {state.progress ? (
        <progress max={state.progress.totalBytes} value={state.progress.doneBytes} aria-label={state.progress.step} />
      ) : null}
    </div>
  );
}
