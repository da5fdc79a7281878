// The window: header with navigation, the offline banner, the current view, and any prompt.
import { ClustersView } from './clusters/ClustersView';
import { HistoryView } from './history/HistoryView';
import { LaunchView } from './launch/LaunchView';
import { MainNav } from './MainNav';
import { OfflineBanner } from './OfflineBanner';
import { PromptHost } from './prompts/PromptHost';
import { SessionsView } from './sessions/SessionsView';
import { OpenShareHost } from './shares/OpenShareDialog';
import { SharedViewerView } from './shares/SharedViewerView';
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
  const watching = useAppStore(
    (a) => a.shares,
    (s) => s.watching,
  );
  return (
    <div className="app">
      <header className="app-header">
        <h1>Porthole</h1>
        <MainNav />
      </header>
      <OfflineBanner />
      <main className={view === 'viewer' || view === 'shared' ? 'main main-viewer' : 'main'}>
        {view === 'clusters' ? <ClustersView /> : null}
        {view === 'launch' ? <LaunchView /> : null}
        {view === 'sessions' ? <SessionsView /> : null}
        {view === 'history' ? <HistoryView /> : null}
        {view === 'viewer' && viewerKey ? <ViewerView key={viewerKey} sessionKey={viewerKey} /> : null}
        {view === 'shared' && watching ? <SharedViewerView key={watching.first.url} watching={watching} /> : null}
      </main>
      <OpenShareHost />
      <PromptHost />
    </div>
  );
}
