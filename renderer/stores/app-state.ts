// All stores of one window, made from what they depend on (the Api link, the history
// database, the clock), and the wiring of Api events into them. No module-level state:
// tests and the dev harness make their own.
import type { StoreApi } from 'zustand/vanilla';
import type { ApiEvent } from '../../main/api';
import type { HistoryDb } from '../history/history-db';
import { sessionKey } from '../logic/session-key';
import type { ApiLink } from '../transport/link';
import { createCatalogStore, type CatalogState } from './catalog-store';
import { createClustersStore, type ClustersState } from './clusters-store';
import { createHistoryStore, type HistoryState } from './history-store';
import { createLaunchStore, type LaunchState } from './launch-store';
import { createLinkStore, type LinkState } from './link-store';
import { createPromptsStore, type PromptsState } from './prompts-store';
import { createSessionsStore, type SessionsState } from './sessions-store';
import { createSharesStore, type SharesState } from './shares-store';
import { createUiStore, type UiState } from './ui-store';

export interface AppState {
  link: ApiLink;
  now: () => number;
  linkStatus: StoreApi<LinkState>;
  clusters: StoreApi<ClustersState>;
  prompts: StoreApi<PromptsState>;
  catalog: StoreApi<CatalogState>;
  sessions: StoreApi<SessionsState>;
  history: StoreApi<HistoryState>;
  launch: StoreApi<LaunchState>;
  ui: StoreApi<UiState>;
  shares: StoreApi<SharesState>;
}

export function createAppState(link: ApiLink, historyDb: HistoryDb, now: () => number = Date.now): AppState {
  const history = createHistoryStore(historyDb);
  const catalog = createCatalogStore(link);
  const sessions = createSessionsStore(link, now, (list, at) => history.getState().record(list, at));
  return {
    link,
    now,
    linkStatus: createLinkStore(link, now),
    clusters: createClustersStore(link),
    prompts: createPromptsStore(link),
    catalog,
    sessions,
    history,
    launch: createLaunchStore(catalog, sessions),
    ui: createUiStore(),
    shares: createSharesStore(link),
  };
}

/** What happens when a cluster becomes usable: its catalogue and sessions are fetched. */
async function onClusterConnected(app: AppState, cluster: string): Promise<void> {
  // A failed list keeps the cached sessions, shown as cached (no liveSince); the catalogue must load anyway.
  await Promise.all([
    app.catalog.getState().load(cluster),
    app.sessions
      .getState()
      .refresh(cluster)
      .catch(() => undefined),
  ]);
}

function route(app: AppState, event: ApiEvent): void {
  switch (event.type) {
    case 'connection': {
      const before = app.clusters.getState().clusters.find((c) => c.config.name === event.state.cluster)?.connection.status;
      app.clusters.getState().applyConnection(event.state);
      if (event.state.status === 'connected' && before !== 'connected') void onClusterConnected(app, event.state.cluster);
      if (event.state.status !== 'connected') app.sessions.getState().markNotLive(event.state.cluster);
      return;
    }
    case 'session':
      app.sessions.getState().apply([event.session]);
      return;
    case 'prompt':
      app.prompts.getState().open(event.prompt);
      return;
    case 'promptClosed':
      app.prompts.getState().close(event.id);
      return;
    case 'openSession':
      app.ui.getState().openViewer(sessionKey(event));
      return;
    case 'openShareLink':
      app.shares.getState().offer(event.link);
      return;
  }
}

/** Loads the cache, subscribes to events, fetches what is live, and connects configured clusters. */
export async function startApp(app: AppState, options: { autoConnect?: boolean } = {}): Promise<void> {
  app.link.subscribe((event) => route(app, event));
  const syncLive = async () => {
    await app.clusters.getState().refresh();
    const clusters = app.clusters.getState().clusters;
    for (const cluster of clusters) {
      if (cluster.connection.status === 'connected') void onClusterConnected(app, cluster.config.name);
      else app.sessions.getState().markNotLive(cluster.config.name);
    }
    return clusters;
  };
  app.linkStatus.subscribe((state, previous) => {
    if (state.status === 'online' && previous.status === 'offline') void syncLive();
    if (state.status === 'offline') {
      for (const c of app.clusters.getState().clusters) app.sessions.getState().markNotLive(c.config.name);
      // Open questions are pushed again when the host answers; the old ones may be gone by then.
      for (const p of app.prompts.getState().prompts) app.prompts.getState().close(p.id);
    }
  });
  const cached = await app.history.getState().load();
  app.sessions
    .getState()
    .seedCached(cached.filter((r) => r.session.state !== 'ended').map((r) => ({ session: r.session, lastSeenAt: r.lastSeenAt })));
  const clusters = await syncLive();
  if (clusters.some((c) => c.connection.status === 'connected' || c.connection.status === 'reconnecting'))
    app.ui.getState().showAtStart('sessions');
  if (options.autoConnect) {
    for (const cluster of clusters) if (cluster.connection.status === 'offline') void app.clusters.getState().connect(cluster.config.name);
  }
}
