// The window: header with navigation, the offline banner, the current view, and any prompt.
import { ClustersView } from './clusters/ClustersView';
import { HistoryView } from './history/HistoryView';
import { LaunchView } from './launch/LaunchView';
import { MainNav } from './MainNav';
import { OfflineBanner } from './OfflineBanner';
import { PromptHost } from './prompts/PromptHost';
import { SessionsView } from './sessions/SessionsView';
import { ViewerView } from './viewer/ViewerView';
import { useAppStore } from './app-context';

export function App() {
  const view = useAppStore(
    (a) => a.ui,
    (s) => s.view,
  );
  const viewerKey = useAppStore(
    (a) => a.ui,
    (s) => s.viewerKey,
  );
  return (
    <div className="app">
      <header className="app-header">
        <h1>Porthole</h1>
        <MainNav />
      </header>
      <OfflineBanner />
      <main className={view === 'viewer' ? 'main main-viewer' : 'main'}>
        {view === 'clusters' ? <ClustersView /> : null}
        {view === 'launch' ? <LaunchView /> : null}
        {view === 'sessions' ? <SessionsView /> : null}
        {view === 'history' ? <HistoryView /> : null}
        {view === 'viewer' && viewerKey ? <ViewerView key={viewerKey} sessionKey={viewerKey} /> : null}
      </main>
      <PromptHost />
    </div>
  );
}
