// Share on a ready VNC session: the colleague's user name (checked as typed, then by the agent,
// which knows the cluster's users) and how long the share lasts (8 hours unless chosen), then
// the link to send them, with Copy.
import { useId, useState, type FormEvent } from 'react';
import type { SessionView, ShareCreated } from '../../../main/api';
import { DEFAULT_SHARE_MINUTES, SHARE_EXPIRY_CHOICES, userNameProblem } from '../../logic/share-words';
import { errorMessage } from '../../transport/api-call-error';
import { useApp } from '../app-context';
import { Dialog } from '../common/Dialog';

export function ShareDialog({ session, title, onClose }: { session: SessionView; title: string; onClose: () => void }) {
  const app = useApp();
  const id = useId();
  const [user, setUser] = useState('');
  const [minutes, setMinutes] = useState(DEFAULT_SHARE_MINUTES);
  const [userError, setUserError] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<ShareCreated>();
  const [copied, setCopied] = useState<string>();

  async function share(event: FormEvent) {
    event.preventDefault();
    const problem = userNameProblem(user);
    setUserError(problem);
    setError(undefined);
    if (problem) return;
    setBusy(true);
    try {
      setCreated(await app.shares.getState().create(session, user, minutes));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function copy(link: string) {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('Copied: send it to them by chat or e-mail.');
    } catch (e) {
      setCopied(`Could not copy (${errorMessage(e)}): select the link and copy it by hand.`);
    }
  }

  if (created) {
    return (
      <Dialog title={`${title} is shared with ${created.share.user}`} onCancel={onClose}>
        <div className="field">
          <label htmlFor={`${id}-link`}>Share link</label>
          <textarea id={`${id}-link`} className="share-link" readOnly rows={3} value={created.link} onFocus={(e) => e.target.select()} />
          <p className="help">
            Only {created.share.user} can open it, in their own Porthole signed in to this cluster; they see your desktop and cannot control
            it. It works until {new Date(created.share.expiresAt).toLocaleString()} or until you stop sharing, and only while your Porthole
            stays connected.
          </p>
        </div>
        {copied ? (
          <p role="status" className="muted">
            {copied}
          </p>
        ) : null}
        <div className="row">
          <button type="button" className="primary" onClick={() => void copy(created.link)}>
            Copy
          </button>
          <button type="button" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title={`Share ${title}`} onCancel={onClose}>
      <form onSubmit={(e) => void share(e)} noValidate aria-label="Share view-only">
        <p>Your colleague sees this desktop live and cannot control it.</p>
        <div className="field">
          <label htmlFor={`${id}-user`}>Colleague’s user name</label>
          <input
            id={`${id}-user`}
            value={user}
            autoComplete="off"
            spellCheck={false}
            placeholder="their login name on the cluster"
            aria-invalid={userError ? true : undefined}
            aria-describedby={userError ? `${id}-user-error` : undefined}
            onChange={(e) => {
              setUser(e.target.value);
              if (userError) setUserError(userNameProblem(e.target.value));
            }}
            autoFocus
          />
          {userError ? (
            <p id={`${id}-user-error`} className="field-error">
              {userError}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-expiry`}>Link works for</label>
          <select id={`${id}-expiry`} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
            {SHARE_EXPIRY_CHOICES.map((choice) => (
              <option key={choice.minutes} value={choice.minutes}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        {error ? (
          <p className="error-text" role="alert">
            {error}
          </p>
        ) : null}
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Sharing…' : 'Share'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
