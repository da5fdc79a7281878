// What each connected cluster offers: its templates and its live limits (ClusterInfo).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BrokenTemplate, ClusterInfo, TemplateSummary } from '../../main/api';
import { errorMessage } from '../transport/api-call-error';
import type { ApiLink } from '../transport/link';

export interface CatalogState {
  templates: Record<string, TemplateSummary[]>;
  /** Templates that did not load, with their problems: every user sees them, so that someone tells the admin. */
  broken: Record<string, BrokenTemplate[]>;
  info: Record<string, ClusterInfo>;
  errors: Record<string, string>;
  load(cluster: string): Promise<void>;
}

export function createCatalogStore(link: ApiLink): StoreApi<CatalogState> {
  return createStore<CatalogState>((set, get) => ({
    templates: {},
    broken: {},
    info: {},
    errors: {},
    async load(cluster) {
      try {
        const [list, info] = await Promise.all([link.call('templates.list', cluster), link.call('clusters.info', cluster)]);
        const errors = { ...get().errors };
        delete errors[cluster];
        set({
          templates: { ...get().templates, [cluster]: list.templates },
          broken: { ...get().broken, [cluster]: list.broken },
          info: { ...get().info, [cluster]: info },
          errors,
        });
      } catch (error) {
        set({ errors: { ...get().errors, [cluster]: errorMessage(error) } });
      }
    },
  }));
}
