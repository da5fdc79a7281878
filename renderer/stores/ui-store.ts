// Which view is shown, and which session the viewer shows ('shared': another user's desktop, view-only).
import { createStore, type StoreApi } from 'zustand/vanilla';

export type ViewName = 'clusters' | 'launch' | 'sessions' | 'history' | 'viewer' | 'shared';

export interface UiState {
  view: ViewName;
  viewerKey?: string;
  show(view: ViewName): void;
  openViewer(key: string): void;
  closeViewer(): void;
}

export function createUiStore(): StoreApi<UiState> {
  return createStore<UiState>((set) => ({
    view: 'clusters',
    show: (view) => set({ view }),
    openViewer: (viewerKey) => set({ viewerKey, view: 'viewer' }),
    closeViewer: () => set({ viewerKey: undefined, view: 'sessions' }),
  }));
}
