// The stores of this window, handed down through React context (no module-level singletons).
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { AppState } from '../stores/app-state';

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp() outside <AppContext.Provider>');
  return app;
}

/** Reads one store of the app with a selector, re-rendering only when the selection changes. */
export function useAppStore<S, T>(pick: (app: AppState) => StoreApi<S>, selector: (state: S) => T): T {
  return useStore(pick(useApp()), selector);
}
