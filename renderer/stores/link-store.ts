// Whether Porthole's host answers (always, under Electron).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiLink, LinkStatus } from '../transport/link';

export interface LinkState {
  status: LinkStatus;
  /** When the link last went offline (epoch ms), for the banner. */
  offlineSince?: number;
}

export function createLinkStore(link: ApiLink, now: () => number): StoreApi<LinkState> {
  const store = createStore<LinkState>(() => ({ status: link.status }));
  link.onStatus((status) =>
    store.setState({ status, offlineSince: status === 'offline' ? (store.getState().offlineSince ?? now()) : undefined }),
  );
  return store;
}
