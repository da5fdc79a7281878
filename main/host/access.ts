// Who may use the web host: a request on our own Host name, carrying the token (query or the
// cookie set when the printed URL was opened), and for the WebSocket an Origin of our own page.
// Pure functions, so the rules are unit-tested without a server.
import { timingSafeEqual } from 'node:crypto';

export const TOKEN_COOKIE = 'porthole_token';

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

export function tokenFromCookie(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === TOKEN_COOKIE) return rest.join('=');
  }
  return null;
}

export interface AccessRequest {
  host?: string;
  origin?: string;
  queryToken: string | null;
  cookieToken: string | null;
}

export type AccessVerdict = { allowed: true } | { allowed: false; status: 403; why: string };

/** Pages and files: our host, and the token in the query or the cookie. */
export function checkPageAccess(request: AccessRequest, token: string, port: number): AccessVerdict {
  if (!isOwnHost(request.host, port)) return { allowed: false, status: 403, why: 'this server answers only to 127.0.0.1 and localhost' };
  if (request.origin && !ownOrigins(port).includes(request.origin)) return { allowed: false, status: 403, why: 'requests from other sites are refused' };
  if (!sameToken(request.queryToken, token) && !sameToken(request.cookieToken, token)) {
    return { allowed: false, status: 403, why: 'open the address that `porthole serve` printed: it carries the token' };
  }
  return { allowed: true };
}

/** The Api WebSocket: our host, our page's Origin (browsers always send one), the token in the query. */
export function checkSocketAccess(request: AccessRequest, token: string, port: number): AccessVerdict {
  if (!isOwnHost(request.host, port)) return { allowed: false, status: 403, why: 'wrong Host' };
  if (!request.origin || !ownOrigins(port).includes(request.origin)) return { allowed: false, status: 403, why: 'foreign or missing Origin' };
  if (!sameToken(request.queryToken, token)) return { allowed: false, status: 403, why: 'missing or wrong token' };
  return { allowed: true };
}
