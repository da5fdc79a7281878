// Open a shared desktop: paste the link or code a colleague sent (or the system handed over a
// porthole://share/… link that was clicked). What the link is shows before anything connects;
// the cluster is found by its Slurm name, and asked for only when several of yours fit.
import { useId, useState, type FormEvent } from 'react';
import { describePastedShare } from '../../logic/share-words';
import { ApiCallError, errorMessage } from '../../transport/api-call-error';
import { useApp, useAppStore } from '../app-context';
import { Dialog } from '../common/Dialog';

export function OpenShareHost() {
  const pasting = useAppStore(
    (a) => a.shares,
    (s) => s.pasting,
  );
  return pasting === undefined ? null : <OpenShareDialog initial={pasting} />;
}

function OpenShareDialog({ initial }: { initial: string }) {
  const app = useApp();
  const id = useId();
  const [text, setText] = useState(initial);
  const [cluster, setCluster] = useState<string>();
  const [askCluster, setAskCluster] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // The store's own array: a selector that made a new one each time would render without end.
  const allClusters = useAppStore(
    (a) => a.clusters,
    (s) => s.clusters,
  );
  const clusters = allClusters.filter((c) => c.connection.status === 'connected').map((c) => c.config.name);
  const pasted = text.trim() === '' ? undefined : describePastedShare(text, app.now());
  const close = () => app.shares.getState().dismiss();

  async function open(event: FormEvent) {
    event.preventDefault();
    if (!pasted?.ok) return setError(pasted?.problem ?? 'Paste the share link or code your colleague sent.');
    setBusy(true);
    setError(undefined);
    try {
      await app.shares.getState().open(text, askCluster ? (cluster ?? clusters[0]) : undefined);
      app.ui.getState().show('shared');
    } catch (e) {
      setError(errorMessage(e));
      if (e instanceof ApiCallError && e.field === 'cluster') setAskCluster(true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title="Open a shared desktop" onCancel={close}>
      <form onSubmit={(e) => void open(e)} noValidate aria-label="Open a shared desktop">
        <div className="field">
          <label htmlFor={`${id}-link`}>Share link or code</label>
          <textarea
            id={`${id}-link`}
            className="share-link"
            rows={3}
            value={text}
            spellCheck={false}
            placeholder="porthole://share/1/…"
            aria-describedby={`${id}-about`}
            onChange={(e) => {
              setText(e.target.value);
              setError(undefined);
            }}
            autoFocus
          />
          <p id={`${id}-about`} className={pasted && !pasted.ok ? 'field-error' : 'help'} aria-live="polite">
            {pasted === undefined
              ? 'Paste what your colleague sent: you will see their desktop, view-only.'
              : pasted.ok
                ? pasted.summary
                : pasted.problem}
          </p>
        </div>
        {askCluster && clusters.length ? (
          <div className="field">
            <label htmlFor={`${id}-cluster`}>Through cluster</label>
            <select id={`${id}-cluster`} value={cluster ?? clusters[0]} onChange={(e) => setCluster(e.target.value)}>
              {clusters.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {error ? (
          <p className="error-text" role="alert">
            {error}
          </p>
        ) : null}
        <div className="row">
          <button type="submit" className="primary" disabled={busy || !pasted?.ok || pasted.expired}>
            {busy ? 'Opening…' : 'Open'}
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
