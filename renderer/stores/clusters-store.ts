// The configured clusters and the live state of each one's connection.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ClusterConfig, ClusterView, ConnectionState } from '../../main/api';
import { errorMessage } from '../transport/api-call-error';
import type { ApiLink } from '../transport/link';

export interface ClustersState {
  clusters: ClusterView[];
  loaded: boolean;
  loadError?: string;
  /** The last error of an action per cluster (connect, remove), shown next to it. */
  actionErrors: Record<string, string>;
  busy: Record<string, boolean>;
  /**
   * The connection state of a cluster that is not in the list yet: the demo cluster while
   * test/cluster/up starts it (its lines come as `connecting` reasons, its failure as `failed`).
   */
  unlisted: Record<string, ConnectionState>;
  refresh(): Promise<void>;
  add(config: ClusterConfig): Promise<ClusterView>;
  addDemo(): Promise<ClusterView>;
  remove(name: string): Promise<void>;
  connect(name: string): Promise<void>;
  disconnect(name: string): Promise<void>;
  applyConnection(state: ConnectionState): void;
}

export function createClustersStore(link: ApiLink): StoreApi<ClustersState> {
  const store = createStore<ClustersState>((set, get) => {
    const upsert = (view: ClusterView) => {
      const others = get().clusters.filter((c) => c.config.name !== view.config.name);
      set({
        clusters: [...others, view].sort((a, b) => a.config.name.localeCompare(b.config.name)),
        unlisted: withoutKey(get().unlisted, view.config.name),
      });
    };
    const act = async (name: string, action: () => Promise<void>) => {
      set({ busy: { ...get().busy, [name]: true }, actionErrors: withoutKey(get().actionErrors, name) });
      try {
        await action();
      } catch (error) {
        set({ actionErrors: { ...get().actionErrors, [name]: errorMessage(error) } });
      } finally {
        set({ busy: withoutKey(get().busy, name) });
      }
    };
    return {
      clusters: [],
      loaded: false,
      actionErrors: {},
      busy: {},
      unlisted: {},
      async refresh() {
        try {
          const clusters = await link.call('clusters.list');
          set({ clusters: clusters.sort((a, b) => a.config.name.localeCompare(b.config.name)), loaded: true, loadError: undefined });
        } catch (error) {
          set({ loadError: errorMessage(error), loaded: true });
        }
      },
      async add(config) {
        const view = await link.call('clusters.add', config);
        upsert(view);
        return view;
      },
      async addDemo() {
        const view = await link.call('clusters.addDemo');
        upsert(view);
        return view;
      },
      remove: (name) =>
        act(name, async () => {
          await link.call('clusters.remove', name);
          set({ clusters: get().clusters.filter((c) => c.config.name !== name) });
        }),
      connect: (name) =>
        act(name, async () => {
          const state = await link.call('clusters.connect', name);
          get().applyConnection(state);
        }),
      disconnect: (name) =>
        act(name, async () => {
          get().applyConnection(await link.call('clusters.disconnect', name));
        }),
      applyConnection(state) {
        const current = get().clusters.find((c) => c.config.name === state.cluster);
        if (current) upsert({ ...current, connection: state });
        else set({ unlisted: { ...get().unlisted, [state.cluster]: state } });
      },
    };
  });
  return store;
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}
