// The renderer cannot tell the transports apart (DESIGN.md contract 1): Electron's preload
// puts `window.porthole` there; otherwise the page came from `porthole serve` and carries the
// token in its own URL.
import type { PortholeBridge } from '../../main/api';
import { electronLink } from './electron-link';
import type { ApiLink } from './link';
import { WebSocketLink } from './websocket-link';

export function pickLink(win: Window): ApiLink {
  const bridge = (win as Window & { porthole?: PortholeBridge }).porthole;
  if (bridge) return electronLink(bridge);
  const token = new URLSearchParams(win.location.search).get('token') ?? '';
  const scheme = win.location.protocol === 'https:' ? 'wss' : 'ws';
  return new WebSocketLink({ url: `${scheme}://${win.location.host}/api?token=${encodeURIComponent(token)}` });
}
