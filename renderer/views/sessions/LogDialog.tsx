// The last lines of a session's job log, fetched when opened.
import { useEffect, useState } from 'react';
import { errorMessage } from '../../transport/api-call-error';
import { useApp } from '../app-context';
import { Dialog } from '../common/Dialog';

export function LogDialog({ sessionKey, title, onClose }: { sessionKey: string; title: string; onClose: () => void }) {
  const app = useApp();
  const [text, setText] = useState<string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    app.sessions
      .getState()
      .logs(sessionKey)
      .then(setText, (e) => setError(errorMessage(e)));
  }, [app, sessionKey]);
  return (
    <Dialog title={`Log of ${title}`} onCancel={onClose}>
      {error ? (
        <p className="error-text">{error}</p>
      ) : (
        <pre className="log" tabIndex={0} aria-label="Job log">
          {text ?? 'Reading the log…'}
        </pre>
      )}
      <button type="button" onClick={onClose} autoFocus>
        Close
      </button>
    </Dialog>
  );
}
