// One Porthole at a time: a second start hands over to the first (which shows its window) and
// quits before it makes anything, so it never opens a second SSH connection or agent.
import type { App } from 'electron';

/** False in a second instance, which is quitting: the caller must start nothing. */
export function holdSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'on' | 'quit'>,
  showFirstWindow: (secondArgv: string[]) => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  // The second start's command line may carry a share link (share-links.ts).
  app.on('second-instance', (_event, argv: string[]) => showFirstWindow(argv));
  return true;
}
