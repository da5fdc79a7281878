// The Clusters view: every configured cluster with its connection, the Add cluster form, and
// the demo cluster on offer while nothing is configured. A cluster added either way connects at
// once, so the person meets its host key prompt (or what is wrong) without looking for Connect.
import { useState } from 'react';
import { errorMessage } from '../../transport/api-call-error';
import { useApp, useAppStore } from '../app-context';
import { AddClusterForm } from './AddClusterForm';
import { ClusterCard } from './ClusterCard';

export function ClustersView() {
  const app = useApp();
  const clusters = useAppStore(
    (a) => a.clusters,
    (s) => s.clusters,
  );
  const loaded = useAppStore(
    (a) => a.clusters,
    (s) => s.loaded,
  );
  const loadError = useAppStore(
    (a) => a.clusters,
    (s) => s.loadError,
  );
  // `clusters.addDemo` adds the test cluster as `demo` (main/api.ts); while it starts, its last
  // line of progress. Not a live region: the lines come fast, and the button already says it.
  const demoProgress = useAppStore(
    (a) => a.clusters,
    (s) => s.unlisted.demo?.reason,
  );
  const [demoState, setDemoState] = useState<{ busy: boolean; error?: string }>({ busy: false });

  const connect = (name: string) => void app.clusters.getState().connect(name);

  async function addDemo() {
    setDemoState({ busy: true });
    try {
      const view = await app.clusters.getState().addDemo();
      setDemoState({ busy: false });
      connect(view.config.name);
    } catch (error) {
      setDemoState({ busy: false, error: errorMessage(error) });
    }
  }

  return (
    <section aria-labelledby="clusters-title" className="view">
      <h2 id="clusters-title">Clusters</h2>
      {loadError ? <p className="error-text">{loadError}</p> : null}
      {loaded && clusters.length === 0 && !loadError ? (
        <div className="card intro">
          <p>
            No cluster is configured yet. Add yours below, or try Porthole on the local demo cluster (a small Slurm cluster on this
            machine).
          </p>
          <button type="button" className="primary" onClick={() => void addDemo()} disabled={demoState.busy}>
            {demoState.busy ? 'Starting the demo cluster…' : 'Use the demo cluster'}
          </button>
          {demoState.busy && demoProgress ? <p className="muted demo-progress">{demoProgress}</p> : null}
          {demoState.error ? (
            <p className="error-text" role="alert">
              {demoState.error}
            </p>
          ) : null}
        </div>
      ) : null}
      {clusters.length ? (
        <ul className="card-list" aria-label="Configured clusters">
          {clusters.map((cluster) => (
            <ClusterCard key={cluster.config.name} cluster={cluster} />
          ))}
        </ul>
      ) : null}
      <AddClusterForm onAdded={connect} />
    </section>
  );
}
