// The Launch view: pick a connected cluster, then a template card, then fill its form.
import { useEffect, useId, useState } from 'react';
import { useApp, useAppStore } from '../app-context';
import { BrokenTemplateCards } from './BrokenTemplateCards';
import { LaunchForm } from './LaunchForm';
import { TemplateCards } from './TemplateCards';

export function LaunchView() {
  const app = useApp();
  const id = useId();
  const connected = useAppStore(
    (a) => a.clusters,
    (s) =>
      s.clusters
        .filter((c) => c.connection.status === 'connected')
        .map((c) => c.config.name)
        .join('\n'),
  );
  const names = connected ? connected.split('\n') : [];
  const formCluster = useAppStore(
    (a) => a.launch,
    (s) => s.cluster,
  );
  const [picked, setPicked] = useState<string>();
  const cluster = formCluster ?? (picked && names.includes(picked) ? picked : names[0]);
  const templates = useAppStore(
    (a) => a.catalog,
    (s) => (cluster ? s.templates[cluster] : undefined),
  );
  const broken = useAppStore(
    (a) => a.catalog,
    (s) => (cluster ? s.broken[cluster] : undefined),
  );
  const catalogError = useAppStore(
    (a) => a.catalog,
    (s) => (cluster ? s.errors[cluster] : undefined),
  );

  useEffect(() => {
    if (cluster && !templates) void app.catalog.getState().load(cluster);
  }, [app, cluster, templates]);

  return (
    <section aria-labelledby="launch-title" className="view">
      <h2 id="launch-title">Launch</h2>
      {names.length === 0 ? (
        <p className="card">
          No cluster is connected. Connect one in{' '}
          <button type="button" className="link" onClick={() => app.ui.getState().show('clusters')}>
            Clusters
          </button>{' '}
          to see what it offers.
        </p>
      ) : null}
      {names.length > 1 && !formCluster ? (
        <div className="field inline">
          <label htmlFor={id}>Cluster</label>
          <select id={id} value={cluster} onChange={(e) => setPicked(e.target.value)}>
            {names.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </div>
      ) : null}
      {catalogError ? (
        <p className="error-text" role="alert">
          {catalogError}
        </p>
      ) : null}
      {formCluster ? (
        <LaunchForm />
      ) : cluster && templates ? (
        <>
          <TemplateCards templates={templates} onChoose={(t) => app.launch.getState().choose(cluster, t)} />
          <BrokenTemplateCards broken={broken ?? []} />
        </>
      ) : cluster ? (
        <p>Reading the templates of {cluster}…</p>
      ) : null}
    </section>
  );
}
