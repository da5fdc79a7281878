// Sharing desktops view-only. The owner's side: create and stop (the shares themselves ride on
// each session, live from session.changed). The watcher's side: the link being pasted or handed
// over by the system (the Open a shared desktop dialog is shown while it is set), and the share
// being watched, which the view-only viewer shows.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SessionView, ShareCreated, SharedViewerTarget } from '../../main/api';
import type { ApiLink } from '../transport/link';

export interface WatchedShare {
  link: string;
  /** The cluster of this app that opened it, so that reconnects go the same way. */
  cluster: string;
  /** The first stream's target; each later stream asks for a fresh one (a URL opens one stream). */
  first: SharedViewerTarget;
}

export interface SharesState {
  /** The text of the Open a shared desktop dialog while it is open (empty: a blank one). */
  pasting?: string;
  watching?: WatchedShare;
  create(session: SessionView, user: string, minutes: number): Promise<ShareCreated>;
  stop(session: SessionView, shareId: string): Promise<void>;
  /** Opens the paste dialog, with a link already in it when the system handed one over. */
  offer(link?: string): void;
  dismiss(): void;
  /** Asks main for the share's stream; on success the dialog closes and the share is watched. */
  open(link: string, cluster?: string): Promise<WatchedShare>;
  /** A fresh stream of the share being watched (refused with the owner's side's words when it is over). */
  reopen(): Promise<SharedViewerTarget>;
  stopWatching(): void;
}

export function createSharesStore(link: ApiLink): StoreApi<SharesState> {
  return createStore<SharesState>((set, get) => ({
    create: (session, user, minutes) => link.call('shares.create', session.cluster, session.id, user, minutes),
    stop: (session, shareId) => link.call('shares.stop', session.cluster, session.id, shareId),
    offer: (text) => set({ pasting: text ?? '' }),
    dismiss: () => set({ pasting: undefined }),
    async open(text, cluster) {
      const trimmed = text.trim();
      const first = await link.call('shares.open', trimmed, cluster);
      const watching = { link: trimmed, cluster: first.cluster, first };
      set({ watching, pasting: undefined });
      return watching;
    },
    async reopen() {
      const watching = get().watching;
      if (!watching) throw new Error('No shared desktop is open');
      return link.call('shares.open', watching.link, watching.cluster);
    },
    stopWatching: () => set({ watching: undefined }),
  }));
}
