// Which web permissions the app's page gets in Electron: only what it uses, only for its own
// origin. Notifications are not among them: main shows them (session-notices.ts), so they
// appear while the window is hidden, and the page asking too would show each one twice.

/** Clipboard write for `Copy to this computer`, fullscreen for the viewer's `Fullscreen`. */
export const PAGE_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write', 'fullscreen'];

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    // URL.origin is 'null' for a custom scheme such as porthole://, so build it by hand.
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export function pagePermissionAllowed(permission: string, requestingUrl: string | undefined, appOrigin: string): boolean {
  return PAGE_PERMISSIONS.includes(permission) && requestingUrl !== undefined && originOf(requestingUrl) === appOrigin;
}
