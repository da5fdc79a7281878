// A ready desktop nobody uses: when its job will stop it, and Keep running, which restarts its
// idle clock (sessions.keepRunning). The line goes once the agent says the stop is off.
import { useState } from 'react';
import type { SessionView } from '../../../main/api';
import { idleStopWords } from '../../../agent/common/idle-stop';
import { sessionKey } from '../../logic/session-key';
import { errorMessage } from '../../transport/api-call-error';
import { useApp } from '../app-context';

export function IdleStopNotice({ session, now, live }: { session: SessionView; now: number; live: boolean }) {
  const app = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (session.state !== 'ready' || !session.idleStopAt) return null;

  async function keepRunning() {
    setBusy(true);
    setError(undefined);
    try {
      await app.sessions.getState().keepRunning(sessionKey(session));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="idle-stop" role="group" aria-label="Idle stop">
      <p className="reason" role="status">
        {idleStopWords(session.idleStopAt, now)}: no viewer and no input.
      </p>
      <button type="button" className="primary" onClick={() => void keepRunning()} disabled={!live || busy}>
        Keep running
      </button>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
