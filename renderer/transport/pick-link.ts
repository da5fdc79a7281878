// The renderer cannot tell the transports apart (docs/architecture.md §1): Electron's preload
// puts `window.porthole` there; otherwise the page came from `porthole serve` and its token
// comes from the printed address (page-token.ts).
import { apiSocketPath } from '../../agent/common/web-host-wire';
import type { PortholeBridge } from '../../main/api';
import { electronLink } from './electron-link';
import type { ApiLink } from './link';
import { takePageToken } from './page-token';
import { WebSocketLink } from './websocket-link';

/** The link to Porthole, or why there is none. */
export type PickedLink = { link: ApiLink } | { problem: string };

export function pickLink(win: Window): PickedLink {
  const bridge = (win as Window & { porthole?: PortholeBridge }).porthole;
  if (bridge) return { link: electronLink(bridge) };
  const token = takePageToken(win);
  if (!token)
    return {
      problem:
        'This page needs the address that `porthole serve` printed: it carries your access token. ' +
        'Open that address again (in this tab, a reload keeps it).',
    };
  const scheme = win.location.protocol === 'https:' ? 'wss' : 'ws';
  return { link: new WebSocketLink({ url: `${scheme}://${win.location.host}${apiSocketPath(token)}` }) };
}
