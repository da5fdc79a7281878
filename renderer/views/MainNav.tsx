// The app's main navigation between views: links, so that they are not confused with the
// buttons of the same words inside the views (the Launch button of a form).
import type { ViewName } from '../stores/ui-store';
import { useApp, useAppStore } from './app-context';

const TABS: { view: ViewName; label: string }[] = [
  { view: 'clusters', label: 'Clusters' },
  { view: 'launch', label: 'Launch' },
  { view: 'sessions', label: 'Sessions' },
  { view: 'history', label: 'History' },
];

export function MainNav() {
  const app = useApp();
  const view = useAppStore(
    (a) => a.ui,
    (s) => s.view,
  );
  const hasViewer = useAppStore(
    (a) => a.ui,
    (s) => !!s.viewerKey,
  );
  const watching = useAppStore(
    (a) => a.shares,
    (s) => s.watching,
  );
  return (
    <nav aria-label="Main" className="main-nav">
      {TABS.map((tab) => (
        <a
          key={tab.view}
          href={`#${tab.view}`}
          aria-current={view === tab.view ? 'page' : undefined}
          onClick={(event) => {
            event.preventDefault();
            app.ui.getState().show(tab.view);
          }}
        >
          {tab.label}
        </a>
      ))}
      {hasViewer ? (
        <a
          href="#viewer"
          aria-current={view === 'viewer' ? 'page' : undefined}
          onClick={(event) => {
            event.preventDefault();
            app.ui.getState().show('viewer');
          }}
        >
          Viewer
        </a>
      ) : null}
      {watching ? (
        <a
          href="#shared"
          aria-current={view === 'shared' ? 'page' : undefined}
          onClick={(event) => {
            event.preventDefault();
            app.ui.getState().show('shared');
          }}
        >
          Shared desktop
        </a>
      ) : null}
    </nav>
  );
}
