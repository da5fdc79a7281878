// Sharing a desktop view-only, in words a person reads: the colleague's user name checked as it
// is typed, the expiry choices, what a pasted link is before anything connects, and how long a
// share has left. Pure: the clock is passed in.
import { parseShareLink, USER_NAME_PATTERN } from '../../agent/common/share-link';

/** What the agent takes (shares.create `minutes`): 1 minute to 7 days. */
export const SHARE_EXPIRY_CHOICES: readonly { minutes: number; label: string }[] = [
  { minutes: 60, label: '1 hour' },
  { minutes: 240, label: '4 hours' },
  { minutes: 480, label: '8 hours' },
  { minutes: 1440, label: '1 day' },
  { minutes: 10_080, label: '7 days' },
];
export const DEFAULT_SHARE_MINUTES = 480;

/** Why `value` cannot be the colleague's user name, or null when it can (the agent then checks the user exists). */
export function userNameProblem(value: string): string | null {
  if (value === '') return "Enter your colleague's user name on the cluster, as they sign in with it (e.g. bob).";
  if (USER_NAME_PATTERN.test(value)) return null;
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value.length > 32) return `${shown} is longer than a user name may be (at most 32 characters).`;
  return (
    `${shown} is not a user name on the cluster: use lower-case letters, digits, _ and -, starting with a letter or _` +
    (/[A-Z]/.test(value) ? ' (no capitals)' : /\s|@/.test(value) ? ' (their login name, not their full name or e-mail)' : '') +
    '.'
  );
}

/** "expires in 7 h 59 min", "expires in 2 d 3 h", "expires in 45 s", "expired". */
export function expiryWords(expiresAt: string, now: number): string {
  const left = Date.parse(expiresAt) - now;
  if (!(left > 0)) return 'expired';
  const minutes = Math.floor(left / 60_000);
  if (minutes === 0) return `expires in ${Math.floor(left / 1000)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `expires in ${minutes} min`;
  if (hours < 24) return `expires in ${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `expires in ${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export type PastedShare =
  | { ok: true; owner: string; user: string; clusterName: string; loginNode: string; expiresAt: string; expired: boolean; summary: string }
  | { ok: false; problem: string };

/** What a pasted link or code is, shown before it is opened; a bad one gets the link reader's words. */
export function describePastedShare(text: string, now: number): PastedShare {
  try {
    const link = parseShareLink(text);
    const expiry = expiryWords(link.expiresAt, now);
    return {
      ok: true,
      owner: link.owner,
      user: link.user,
      clusterName: link.clusterName,
      loginNode: link.loginNode,
      expiresAt: link.expiresAt,
      expired: expiry === 'expired',
      summary:
        `${link.owner}'s desktop on cluster ${link.clusterName}, shared with ${link.user}; ` +
        `${expiry === 'expired' ? 'the share has expired' : expiry}.`,
    };
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Who is watching a share now: "bob is watching (since 14:03)", "bob is watching in 2 windows", "Not watched now". */
export function watcherWords(user: string, watchers: readonly { since: string }[], formatTime: (iso: string) => string): string {
  if (watchers.length === 0) return 'Not watched now';
  if (watchers.length === 1) return `${user} is watching (since ${formatTime(watchers[0].since)})`;
  return `${user} is watching in ${watchers.length} windows`;
}

/** Why a shared viewer closed, for the person watching: the owner's side's refusal, or the expiry it knew. */
export function sharedViewerEndWords(refusal: string | undefined, expiresAt: string, now: number): string {
  if (Date.parse(expiresAt) <= now) return 'The share has expired: ask the owner for a new link.';
  return refusal ?? 'The owner’s desktop closed the connection.';
}
