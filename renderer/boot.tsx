// Starts the UI on any ApiLink (index.tsx gives it the one pickLink finds): history, stores, notifier, view.
import { createRoot } from 'react-dom/client';
import { openHistoryDb } from './history/history-db';
import { startSessionNotifier } from './notifications/session-notifier';
import { createAppState, startApp } from './stores/app-state';
import type { ApiLink } from './transport/link';
import { App } from './views/App';
import { AppContext } from './views/app-context';
import './app.css';

export async function boot(link: ApiLink, root: HTMLElement): Promise<void> {
  const app = createAppState(link, await openHistoryDb());
  createRoot(root).render(
    <AppContext.Provider value={app}>
      <App />
    </AppContext.Provider>,
  );
  startSessionNotifier(app);
  await startApp(app, { autoConnect: true });
}
