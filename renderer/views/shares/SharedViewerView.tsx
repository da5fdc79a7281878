// Another user's desktop, view-only: labelled as such, with how long the share has left, and
// when it closes, why (stopped by its owner, expired, the owner's Porthole gone).
import { useCallback, useRef } from 'react';
import type { WatchedShare } from '../../stores/shares-store';
import { expiryWords } from '../../logic/share-words';
import { useApp } from '../app-context';
import { useNow } from '../common/use-now';
import { useSharedVnc } from './use-shared-vnc';

export function SharedViewerView({ watching }: { watching: WatchedShare }) {
  const app = useApp();
  const screen = useRef<HTMLDivElement>(null);
  const reopen = useCallback(() => app.shares.getState().reopen(), [app]);
  const { status, disconnect } = useSharedVnc(watching.first, reopen, screen, app.now);
  const now = useNow(1000);
  const title = `View only — ${watching.first.owner}'s desktop`;
  const close = () => {
    disconnect();
    app.shares.getState().stopWatching();
    app.ui.getState().show('sessions');
  };
  return (
    <section className="viewer" aria-label={title}>
      <div className="toolbar" role="toolbar" aria-label="Shared desktop">
        <strong className="toolbar-title">{title}</strong>
        <span role="status" className={`viewer-status ${status.phase === 'closed' ? 'viewer-stopped' : ''}`}>
          {status.phase === 'connecting' ? 'Connecting…' : status.phase === 'connected' ? 'Watching' : 'Closed'}
        </span>
        <span className="muted small">
          through {watching.cluster} · {expiryWords(watching.first.expiresAt, now)}
        </span>
        <span className="toolbar-spacer" />
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
      {status.phase === 'closed' ? (
        <p role="alert" className="panel viewer-closed">
          <strong>This shared desktop closed.</strong> {status.reason}
        </p>
      ) : null}
      <div className="desktop desktop-fit" role="region" aria-label="Desktop" ref={screen} />
    </section>
  );
}
