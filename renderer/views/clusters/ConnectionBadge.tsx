// A cluster's connection state in words: "Connected", "Reconnecting in 4 s — the connection was closed".
import type { ConnectionState } from '../../../main/api';
import { connectionWords } from '../../logic/connection-words';
import { useNow } from '../common/use-now';

export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const now = useNow(500);
  const { label, detail, tone } = connectionWords(state, now);
  return (
    <p className="connection" aria-live="polite">
      <span className={`badge badge-${tone}`}>{label}</span>
      {detail ? <span className="connection-reason"> {detail}</span> : null}
      {state.progress ? (
        <progress max={state.progress.totalBytes} value={state.progress.doneBytes} aria-label={state.progress.step} />
      ) : null}
    </p>
  );
}
