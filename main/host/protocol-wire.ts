// The web host's wire format: the Api of main/api.ts over one WebSocket. The browser client
// (written in renderer/ against this description) and main/host/server.ts both follow it.
//
//   URL        ws://127.0.0.1:<port>/api?token=<token>
//              <token> is the `token` query parameter of the address `porthole serve`
//              printed; the page reads it once, keeps it in sessionStorage (per origin, so
//              per port) for reloads, and takes it out of the address bar.
//              Without the right token, or with an Origin other than the page's own
//              (http://127.0.0.1:<port> or http://localhost:<port>), the upgrade is refused (403).
//   request    {"id": 7, "method": "sessions.list", "args": ["demo"]}
//              id: a number the client chooses, unique among its calls in flight;
//              method: one of API_METHODS; args: the argument tuple of ApiMethods[method].
//   answer     {"id": 7, "result": …}                        (result absent for void methods)
//              {"id": 7, "error": {"message": "…", "field": "name"}}   (field only for bad input)
//   push       {"event": ApiEvent}   any time, in order; right after connecting, the server
//              pushes the state of every live connection and every prompt still open.
// Text frames, one JSON object each. The server never sends a request; the client never
// sends anything but requests. A malformed request gets an answer with id null.
import type { ApiErrorBody, ApiEvent, ApiMethod, ApiMethods } from '../api';

export interface WireRequest<M extends ApiMethod = ApiMethod> {
  id: number;
  method: M;
  args: ApiMethods[M]['args'];
}

export type WireAnswer =
  | { id: number | null; result?: unknown }
  | { id: number | null; error: ApiErrorBody };

export interface WirePush {
  event: ApiEvent;
}

export type WireServerMessage = WireAnswer | WirePush;

export const WIRE_API_PATH = '/api';
export const WIRE_TOKEN_PARAM = 'token';
