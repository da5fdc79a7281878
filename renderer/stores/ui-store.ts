// Which view is shown, and which session the viewer shows ('shared': another user's desktop, view-only).
import { createStore, type StoreApi } from 'zustand/vanilla';

export type ViewName = 'clusters' | 'launch' | 'sessions' | 'history' | 'viewer' | 'shared';

export interface UiState {
  view: ViewName;
  viewerKey?: string;
  /** Whether a view was shown since the page opened (a person's click, or a step that leads on). */
  navigated: boolean;
  show(view: ViewName): void;
  /**
   * The view to open with once the page knows its clusters: only while nothing was shown yet, so
   * a click made while the page was still loading is not undone.
   */
  showAtStart(view: ViewName): void;
  openViewer(key: string): void;
  closeViewer(): void;
}

export function createUiStore(): StoreApi<UiState> {
  return createStore<UiState>((set) => ({
    view: 'clusters',
    navigated: false,
    show: (view) => set({ view, navigated: true }),
    showAtStart: (view) => set((state) => (state.navigated ? state : { view })),
    openViewer: (viewerKey) => set({ viewerKey, view: 'viewer', navigated: true }),
    closeViewer: () => set({ viewerKey: undefined, view: 'sessions', navigated: true }),
  }));
}
