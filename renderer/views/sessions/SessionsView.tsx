// The Sessions view: the sessions running or waiting first, as full cards; the ended ones folded
// into a short list of the most recent, with History a click away for the rest. Ended sessions
// as full cards made a wall of "Ended — cancelled" after a few days.
import type { SessionView } from '../../../main/api';
import { sessionKey } from '../../logic/session-key';
import { useApp, useAppStore } from '../app-context';
import { useNow } from '../common/use-now';
import { SessionItem } from './SessionItem';

const RECENT_ENDED = 5;

function newestFirst(a: SessionView, b: SessionView): number {
  return a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : 0;
}

export function SessionsView() {
  const app = useApp();
  const sessions = useAppStore(
    (a) => a.sessions,
    (s) => s.sessions,
  );
  const now = useNow(1000);
  const all = Object.values(sessions);
  const current = all.filter((s) => s.state !== 'ended').sort(newestFirst);
  const ended = all.filter((s) => s.state === 'ended').sort(newestFirst);
  const recent = ended.slice(0, RECENT_ENDED);
  return (
    <section aria-labelledby="sessions-title" className="view">
      <div className="view-head">
        <h2 id="sessions-title">Sessions</h2>
        <button type="button" onClick={() => app.shares.getState().offer()}>
          Open a shared desktop
        </button>
      </div>
      {current.length === 0 ? (
        <p className="muted">{all.length === 0 ? 'No session yet.' : 'Nothing is running or waiting.'} Start one from Launch.</p>
      ) : (
        <ul className="card-list" aria-label="Running and waiting">
          {current.map((session) => (
            <SessionItem key={sessionKey(session)} session={session} now={now} />
          ))}
        </ul>
      )}
      {recent.length ? (
        <section aria-labelledby="sessions-ended-title" className="ended-sessions">
          <h3 id="sessions-ended-title">Recently ended</h3>
          <ul className="card-list" aria-label="Recently ended">
            {recent.map((session) => (
              <SessionItem key={sessionKey(session)} session={session} now={now} />
            ))}
          </ul>
          <p className="muted">
            {ended.length > recent.length ? `The ${recent.length} most recent of ${ended.length}. ` : ''}
            <a
              href="#history"
              onClick={(event) => {
                event.preventDefault();
                app.ui.getState().show('history');
              }}
            >
              All past sessions
            </a>{' '}
            are in History, with search.
          </p>
        </section>
      ) : null}
    </section>
  );
}
