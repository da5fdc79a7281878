// Says plainly when the app is offline, and that what it shows is cached, not live. It is a
// live region, so it holds no countdown (the cluster's card shows when it tries again).
import { connectionWords } from '../logic/connection-words';
import { useApp, useAppStore } from './app-context';

export function OfflineBanner() {
  const { now } = useApp();
  const linkStatus = useAppStore(
    (a) => a.linkStatus,
    (s) => s.status,
  );
  const clusters = useAppStore(
    (a) => a.clusters,
    (s) => s.clusters,
  );
  const unreachable = clusters.filter((c) => c.connection.status === 'reconnecting' || c.connection.status === 'failed');
  if (linkStatus === 'offline') {
    return (
      <div className="banner banner-offline" role="status">
        <strong>Offline.</strong> Porthole&apos;s host does not answer; retrying by itself. Sessions and History below are cached on this
        computer, not live.
      </div>
    );
  }
  if (unreachable.length === 0) return null;
  return (
    <div className="banner banner-offline" role="status">
      {unreachable.map((c) => {
        const words = connectionWords(c.connection, now());
        return (
          <p key={c.config.name}>
            <strong>Offline: cluster {c.config.name} is not connected.</strong> {words.label}
            {words.detail ? ` — ${words.detail.replace(/\.+$/, '')}` : ''}. Its sessions are shown as cached, not live.
          </p>
        );
      })}
    </div>
  );
}
