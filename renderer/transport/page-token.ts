// The web host's access token as the page holds it: read once from the address `porthole serve`
// printed, then taken out of the address bar and this history entry (history.replaceState), and
// kept in sessionStorage so that a reload still connects. sessionStorage belongs to this origin
// (scheme, host and port) and this tab: unlike a cookie, no other service on 127.0.0.1, another
// user's included, is ever sent it or can read it, and it is gone with the tab.
import { WIRE_TOKEN_PARAM } from '../../agent/common/web-host-wire';

const STORAGE_KEY = 'porthole.apiToken';

/** What of `window` this needs; a structural type, so unit tests pass a plain object. */
export interface TokenPage {
  location: { href: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string): void };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
}

/** The token of this page, or null when it was opened without the printed address. */
export function takePageToken(page: TokenPage): string | null {
  const address = new URL(page.location.href);
  const fromAddress = address.searchParams.get(WIRE_TOKEN_PARAM);
  if (!fromAddress) return storedToken(page);
  address.searchParams.delete(WIRE_TOKEN_PARAM);
  page.history.replaceState(page.history.state, '', `${address.pathname}${address.search}${address.hash}`);
  try {
    page.sessionStorage.setItem(STORAGE_KEY, fromAddress);
  } catch {
    // Storage turned off in this browser: the token serves this load; a reload needs the address again.
  }
  return fromAddress;
}

function storedToken(page: TokenPage): string | null {
  try {
    return page.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
