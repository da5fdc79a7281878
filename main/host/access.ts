// Who may use the web host. The page and its files are the app's public code: they need our own
// Host name (a DNS-rebinding page arrives with its own), no token, and no cookie: cookies are not
// kept apart by port, so a cookie on 127.0.0.1 would go to every local service, another user's
// included. Everything the app can do goes through the Api WebSocket, which needs the token the
// page was opened with (the page keeps it in sessionStorage, per origin and so per port) and the
// Origin of our own page. Pure functions, so the rules are unit-tested without a server.
import { timingSafeEqual } from 'node:crypto';

export function sameToken(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The origins our own page can have; `localhost` too, because people type it. */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** A Host header naming us (a DNS-rebinding page arrives with its own host name). */
export function isOwnHost(hostHeader: string | undefined, port: number): boolean {
  return !!hostHeader && [`127.0.0.1:${port}`, `localhost:${port}`].includes(hostHeader.toLowerCase());
}

export interface AccessRequest {
  host?: string;
  origin?: string;
  /** The `token` query parameter, when the request has one. */
  queryToken: string | null;
}

export type AccessVerdict = { allowed: true } | { allowed: false; status: 403; why: string };

/**
 * Pages and files: our Host, no foreign Origin. No token is needed, but an address carrying a
 * wrong one (from an earlier `porthole serve`) is refused with a reason, not left to fail later.
 */
export function checkPageAccess(request: AccessRequest, token: string, port: number): AccessVerdict {
  if (!isOwnHost(request.host, port)) return { allowed: false, status: 403, why: 'this server answers only to 127.0.0.1 and localhost' };
  if (request.origin && !ownOrigins(port).includes(request.origin))
    return { allowed: false, status: 403, why: 'requests from other sites are refused' };
  if (request.queryToken !== null && !sameToken(request.queryToken, token)) {
    return {
      allowed: false,
      status: 403,
      why: 'this address carries a token of an earlier `porthole serve`: open the address it printed this time',
    };
  }
  return { allowed: true };
}

/** The Api WebSocket: our host, our page's Origin (browsers always send one), the token in the query. */
export function checkSocketAccess(request: AccessRequest, token: string, port: number): AccessVerdict {
  if (!isOwnHost(request.host, port)) return { allowed: false, status: 403, why: 'wrong Host' };
  if (!request.origin || !ownOrigins(port).includes(request.origin))
    return { allowed: false, status: 403, why: 'foreign or missing Origin' };
  if (!sameToken(request.queryToken, token)) return { allowed: false, status: 403, why: 'missing or wrong token' };
  return { allowed: true };
}
