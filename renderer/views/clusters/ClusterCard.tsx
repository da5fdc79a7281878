// One configured cluster: where it is, its connection state, and Connect / Disconnect / Remove,
// and once it is connected, Check cluster (the agent's doctor).
import { useState } from 'react';
import type { ClusterView } from '../../../main/api';
import { useApp, useAppStore } from '../app-context';
import { Dialog } from '../common/Dialog';
import { ClusterCheck } from './ClusterCheck';
import { ConnectionBadge } from './ConnectionBadge';

export function ClusterCard({ cluster }: { cluster: ClusterView }) {
  const app = useApp();
  const name = cluster.config.name;
  const busy = useAppStore(
    (a) => a.clusters,
    (s) => !!s.busy[name],
  );
  const error = useAppStore(
    (a) => a.clusters,
    (s) => s.actionErrors[name],
  );
  const [confirmRemove, setConfirmRemove] = useState(false);
  const { host, hosts, user, port, proxyJump } = cluster.config;
  const status = cluster.connection.status;
  const actions = app.clusters.getState();
  return (
    <li className="card" aria-label={`Cluster ${name}`}>
      <h3>{name}</h3>
      <p className="muted">
        {user ? `${user}@` : ''}
        {hosts ? hosts.join(', ') : host}
        {port ? `:${port}` : ''}
        {proxyJump ? ` via ${proxyJump}` : ''}
      </p>
      <ConnectionBadge state={cluster.connection} />
      {error && error !== cluster.connection.reason ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <div className="row">
        {status === 'connected' || status === 'connecting' || status === 'reconnecting' ? (
          <button type="button" onClick={() => void actions.disconnect(name)} disabled={busy && status !== 'connecting'}>
            Disconnect
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void actions.connect(name)} disabled={busy}>
            Connect
          </button>
        )}
        <button type="button" onClick={() => setConfirmRemove(true)}>
          Remove
        </button>
      </div>
      {status === 'connected' ? <ClusterCheck cluster={name} /> : null}
      {confirmRemove ? (
        <Dialog title={`Remove cluster ${name}?`} onCancel={() => setConfirmRemove(false)}>
          <p>Porthole forgets how to reach {name}. Sessions running there keep running; History keeps what it saw.</p>
          <div className="row">
            <button
              type="button"
              className="danger"
              onClick={() => {
                setConfirmRemove(false);
                void actions.remove(name);
              }}
            >
              Remove cluster
            </button>
            <button type="button" onClick={() => setConfirmRemove(false)}>
              Keep it
            </button>
          </div>
        </Dialog>
      ) : null}
    </li>
  );
}
