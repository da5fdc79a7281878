// One session: template, cluster, state in words with its reason, node, countdown, launch
// steps, and Open / Cancel / Relaunch / Log. A session of a cluster that is not live is marked
// as cached with when it was last seen. An ended one is a compact card under "Recently ended".
import { useState } from 'react';
import type { SessionView } from '../../../main/api';
import { formatCountdown } from '../../logic/durations';
import { sessionKey } from '../../logic/session-key';
import { stateTone, stateWords } from '../../logic/state-words';
import { errorMessage } from '../../transport/api-call-error';
import { useApp, useAppStore } from '../app-context';
import { Dialog } from '../common/Dialog';
import { IdleStopNotice } from './IdleStopNotice';
import { LaunchProgress } from './LaunchProgress';
import { LogDialog } from './LogDialog';
import { MoonlightOpenButton } from './MoonlightOpenButton';
import { SessionShares } from '../shares/SessionShares';
import { ShareDialog } from '../shares/ShareDialog';

export function SessionItem({ session, now }: { session: SessionView; now: number }) {
  const app = useApp();
  const key = sessionKey(session);
  const live = useAppStore(
    (a) => a.sessions,
    (s) => s.liveSince[session.cluster] !== undefined,
  );
  const seenAt = useAppStore(
    (a) => a.sessions,
    (s) => s.seenAt[key],
  );
  const lastSeenAt = useAppStore(
    (a) => a.sessions,
    (s) => s.lastSeenAt[key],
  );
  const [dialog, setDialog] = useState<'cancel' | 'log' | 'share' | null>(null);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const title = `${session.templateName} on ${session.cluster}`;
  const ended = session.state === 'ended';
  const Heading = ended ? 'h4' : 'h3';
  const endsIn = session.endsAt && session.state === 'ready' ? Date.parse(session.endsAt) - now : undefined;

  async function relaunch() {
    setError(undefined);
    try {
      const { templateId, values } = await app.link.call('sessions.relaunch', session.cluster, session.id);
      if (!app.catalog.getState().templates[session.cluster]) await app.catalog.getState().load(session.cluster);
      app.launch.getState().choose(session.cluster, templateId, values);
      app.ui.getState().show('launch');
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  async function cancel() {
    setDialog(null);
    setError(undefined);
    try {
      await app.sessions.getState().cancel(key);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  return (
    <li className={ended ? 'card session session-ended' : 'card session'} aria-label={title}>
      <div className="session-head">
        <Heading>
          {session.templateName} <span className="muted">on {session.cluster}</span>
        </Heading>
        <p className={`badge badge-${live ? stateTone(session) : 'cached'}`} role="status" aria-label="State">
          {live ? stateWords(session) : `Last known: ${stateWords(session)}`}
        </p>
      </div>
      {!live ? (
        <p className="cached-note">
          Cached, not live: {session.cluster} is offline. Last seen {lastSeenAt ? new Date(lastSeenAt).toLocaleString() : 'earlier'}.
        </p>
      ) : null}
      {session.reason ? <p className="reason">{session.reason}</p> : null}
      <IdleStopNotice session={session} now={now} live={live} />
      <p className="muted small">
        Job {session.jobId}
        {session.node ? ` · node ${session.node}` : ''}
        {endsIn !== undefined ? <span className="countdown"> · {formatCountdown(endsIn)}</span> : null}
        {ended && session.endedAt ? ` · ended ${new Date(session.endedAt).toLocaleString()}` : ''}
      </p>
      {!ended ? <LaunchProgress session={session} seenAt={seenAt ?? {}} now={now} /> : null}
      {!ended ? <SessionShares session={session} now={now} live={live} /> : null}
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p className="muted" role="status">
          {notice}
        </p>
      ) : null}
      <div className="row">
        {session.state === 'ready' && session.kind === 'sunshine' ? (
          <MoonlightOpenButton session={session} disabled={!live} onNotice={setNotice} onError={setError} />
        ) : null}
        {session.state === 'ready' && session.kind === 'vnc' ? (
          <button type="button" className="primary" onClick={() => app.ui.getState().openViewer(key)} disabled={!live}>
            Open
          </button>
        ) : null}
        {session.state === 'ready' && session.kind === 'vnc' ? (
          <button type="button" onClick={() => setDialog('share')} disabled={!live}>
            Share
          </button>
        ) : null}
        {!ended ? (
          <button type="button" className="danger" onClick={() => setDialog('cancel')} disabled={!live}>
            Cancel
          </button>
        ) : null}
        <button type="button" onClick={() => void relaunch()} disabled={!live}>
          Relaunch
        </button>
        <button type="button" onClick={() => setDialog('log')} disabled={!live}>
          Log
        </button>
      </div>
      {dialog === 'cancel' ? (
        <Dialog title={`Cancel ${title}?`} onCancel={() => setDialog(null)}>
          <p>The job {session.jobId} is cancelled and its desktop closes. Unsaved work in it is lost.</p>
          <div className="row">
            <button type="button" className="danger" onClick={() => void cancel()}>
              Cancel session
            </button>
            <button type="button" onClick={() => setDialog(null)} autoFocus>
              Keep it running
            </button>
          </div>
        </Dialog>
      ) : null}
      {dialog === 'log' ? <LogDialog sessionKey={key} title={title} onClose={() => setDialog(null)} /> : null}
      {dialog === 'share' ? <ShareDialog session={session} title={title} onClose={() => setDialog(null)} /> : null}
    </li>
  );
}
