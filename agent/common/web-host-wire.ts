// Where the web host (`porthole serve`) carries the Api, for the server (main/host/server.ts)
// and the page that connects to it (renderer/transport/): the socket's path and the query
// parameter that holds the access token. The message types are main/api.ts's Wire* types.

/** The path of the Api's WebSocket. */
export const WIRE_API_PATH = '/api';

/** The query parameter of the token, in the printed address and in the socket's URL. */
export const WIRE_TOKEN_PARAM = 'token';

/** The Api socket's path and query for a token: `/api?token=…`. */
export function apiSocketPath(token: string): string {
  return `${WIRE_API_PATH}?${WIRE_TOKEN_PARAM}=${encodeURIComponent(token)}`;
}
