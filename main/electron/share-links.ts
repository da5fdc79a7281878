// porthole://share/… links from the system: the app is the scheme's handler (packaged), macOS
// hands a link over with 'open-url', Windows and Linux put it in the command line of the app's
// start (or of a second start, which single-instance.ts passes on). Each link goes to `deliver`,
// which asks the page to open it; the page shows what the link is before anything connects.
// porthole://app, the scheme the window loads, is the same scheme's other host and stays as it is.
import type { App } from 'electron';
import { isShareLinkArg, shareLinkIn } from '../shell/share-link-arg';
import { APP_SCHEME } from './renderer-protocol';

export function receiveShareLinks(
  app: Pick<App, 'on' | 'setAsDefaultProtocolClient' | 'isPackaged'>,
  argv: readonly string[],
  deliver: (link: string) => void,
): void {
  // Unpackaged, the executable is a bare Electron: registering it would send links to an app without Porthole in it.
  if (app.isPackaged) app.setAsDefaultProtocolClient(APP_SCHEME);
  app.on('open-url', (event: { preventDefault(): void }, url: string) => {
    event.preventDefault();
    if (isShareLinkArg(url)) deliver(url);
  });
  const atStart = shareLinkIn(argv);
  if (atStart) deliver(atStart);
}
