// A shared session's shares, on its card: with whom, until when, who is watching now, and Stop
// sharing (which cuts the watcher off at once). Live: the agent sends the session again whenever
// a share or a watcher comes or goes.
import { useState } from 'react';
import type { SessionView } from '../../../main/api';
import { expiryWords, watcherWords } from '../../logic/share-words';
import { errorMessage } from '../../transport/api-call-error';
import { useApp } from '../app-context';

const timeOfDay = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function SessionShares({ session, now, live }: { session: SessionView; now: number; live: boolean }) {
  const app = useApp();
  const [stopping, setStopping] = useState<string>();
  const [error, setError] = useState<string>();
  const shares = session.shares ?? [];
  if (shares.length === 0) return null;

  async function stop(shareId: string) {
    setStopping(shareId);
    setError(undefined);
    try {
      await app.shares.getState().stop(session, shareId);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setStopping(undefined);
    }
  }

  return (
    <div className="shares">
      <ul aria-label="Shared view-only with" className="share-list">
        {shares.map((share) => (
          <li key={share.shareId} aria-label={`Share with ${share.user}`} className="share-row">
            <span>
              <strong>{share.user}</strong> <span className="muted small">· {expiryWords(share.expiresAt, now)}</span>
            </span>
            <span role="status" aria-label={`Watching: ${share.user}`} className={share.watchers.length ? 'watching' : 'muted'}>
              {watcherWords(share.user, share.watchers, timeOfDay)}
            </span>
            <button
              type="button"
              className="danger"
              onClick={() => void stop(share.shareId)}
              disabled={!live || stopping === share.shareId}
            >
              Stop sharing
            </button>
          </li>
        ))}
      </ul>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
