// The Sessions view: running and waiting sessions first, then the recently ended ones.
import type { SessionView } from '../../../main/api';
import { sessionKey } from '../../logic/session-key';
import { useAppStore } from '../app-context';
import { useNow } from '../common/use-now';
import { SessionItem } from './SessionItem';

const RECENT_ENDED = 20;

function order(sessions: SessionView[]): SessionView[] {
  const newest = (a: SessionView, b: SessionView) => (a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : 0);
  const active = sessions.filter((s) => s.state !== 'ended').sort(newest);
  const ended = sessions
    .filter((s) => s.state === 'ended')
    .sort(newest)
    .slice(0, RECENT_ENDED);
  return [...active, ...ended];
}

export function SessionsView() {
  const sessions = useAppStore(
    (a) => a.sessions,
    (s) => s.sessions,
  );
  const now = useNow(1000);
  const list = order(Object.values(sessions));
  return (
    <section aria-labelledby="sessions-title" className="view">
      <h2 id="sessions-title">Sessions</h2>
      {list.length === 0 ? <p className="muted">No session yet. Start one from Launch.</p> : null}
      <ul className="card-list" aria-label="Sessions">
        {list.map((session) => (
          <SessionItem key={sessionKey(session)} session={session} now={now} />
        ))}
      </ul>
    </section>
  );
}
