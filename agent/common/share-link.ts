// A share link (docs/architecture.md, "Sharing a desktop view-only"): what a watcher's Porthole
// needs to reach one share, written as `porthole://share/1/<base64url(JSON)>`. The same string is
// the "code to paste". Pure: the agent formats and parses it, the app parses it to pick the
// cluster; both refuse a bad link with an error that names the part.
import * as z from 'zod/mini';
import { SESSION_ID_PATTERN, SESSION_ID_RULE } from './session-id';

export const SHARE_LINK_PREFIX = 'porthole://share/';
export const SHARE_LINK_VERSION = '1';

export interface ShareLink {
  /** Slurm's ClusterName, so the watcher's app picks the cluster it has a login for. */
  clusterName: string;
  /** The login node whose agent serves the share. */
  loginNode: string;
  owner: string;
  /** The one user the share lets in. */
  user: string;
  sessionId: string;
  shareId: string;
  /** 32 random bytes, base64url: the watcher's first line proves it holds the link. */
  secret: string;
  /** ISO 8601 time. */
  expiresAt: string;
}

// The JSON's one-letter keys keep the link short enough to paste; each has the name a person reads.
const PART_NAMES = {
  c: 'cluster name (c)',
  h: 'login node (h)',
  o: 'owner (o)',
  u: 'user (u)',
  s: 'session id (s)',
  i: 'share id (i)',
  k: 'secret (k)',
  e: 'expiry (e)',
} as const;

/** A Unix user name as useradd takes it by default (NAME_REGEX), at most 32 characters. */
export const USER_NAME_PATTERN = /^[a-z_][a-z0-9_-]{0,31}$/;
export const USER_NAME_RULE = 'a Unix user name: lower-case letters, digits, _ and -, starting with a letter or _, at most 32';
/** A share id: 12 lower-case letters or digits, made by the agent. */
export const SHARE_ID_PATTERN = /^[a-z0-9]{12}$/;
export const SHARE_ID_RULE = 'a share id is 12 lower-case letters or digits';
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const SECRET_RULE = '32 bytes in base64url (43 characters)';
const HOST_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const HOST_RULE = 'a host name: letters, digits, dots and dashes';
const CLUSTER_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const CLUSTER_RULE = 'a Slurm cluster name: letters, digits, _ and -';
const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const ISO_RULE = 'an ISO 8601 UTC time like 2026-01-31T17:00:00.000Z';

const text = (pattern: RegExp, rule: string) => z.string(rule).check(z.regex(pattern, rule));
const payloadSchema = z.object({
  c: text(CLUSTER_PATTERN, CLUSTER_RULE),
  h: text(HOST_PATTERN, HOST_RULE),
  o: text(USER_NAME_PATTERN, USER_NAME_RULE),
  u: text(USER_NAME_PATTERN, USER_NAME_RULE),
  s: text(SESSION_ID_PATTERN, SESSION_ID_RULE),
  i: text(SHARE_ID_PATTERN, SHARE_ID_RULE),
  k: text(SECRET_PATTERN, SECRET_RULE),
  e: text(ISO_PATTERN, ISO_RULE).check(z.refine((value) => !Number.isNaN(Date.parse(value)), ISO_RULE)),
});

/** A link that cannot be read; `part` names what is wrong (`link`, `version`, or one of the JSON's parts). */
export class ShareLinkError extends Error {
  constructor(
    readonly part: string,
    message: string,
  ) {
    super(message);
  }
}

export function formatShareLink(link: ShareLink): string {
  const payload = {
    c: link.clusterName,
    h: link.loginNode,
    o: link.owner,
    u: link.user,
    s: link.sessionId,
    i: link.shareId,
    k: link.secret,
    e: link.expiresAt,
  };
  // Checked here too, so that a link this side makes is always one the other side reads.
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw partError(parsed.error.issues[0], payload);
  return `${SHARE_LINK_PREFIX}${SHARE_LINK_VERSION}/${toBase64Url(JSON.stringify(payload))}`;
}

/** Reads a link or pasted code; white space around it (a copied line) is ignored. */
export function parseShareLink(given: string): ShareLink {
  const trimmed = given.trim();
  if (!trimmed.startsWith(SHARE_LINK_PREFIX))
    throw new ShareLinkError('link', `This is not a Porthole share link: it must start with ${SHARE_LINK_PREFIX}`);
  const [version, encoded, ...rest] = trimmed.slice(SHARE_LINK_PREFIX.length).split('/');
  if (version !== SHARE_LINK_VERSION)
    throw new ShareLinkError(
      'version',
      `The share link's version is ${JSON.stringify(version)}; this Porthole reads version ${SHARE_LINK_VERSION}: update Porthole`,
    );
  if (encoded === undefined || encoded === '' || rest.length > 0 || !/^[A-Za-z0-9_-]+$/.test(encoded))
    throw new ShareLinkError(
      'link',
      'The share link is cut or changed: after /1/ comes one block of letters, digits, - and _; copy it again',
    );
  let payload: unknown;
  try {
    payload = JSON.parse(fromBase64Url(encoded));
  } catch {
    throw new ShareLinkError('link', 'The share link is cut or changed: its content does not decode; copy it again');
  }
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw partError(parsed.error.issues[0], payload);
  const { c, h, o, u, s, i, k, e } = parsed.data;
  return { clusterName: c, loginNode: h, owner: o, user: u, sessionId: s, shareId: i, secret: k, expiresAt: e };
}

function partError(issue: z.core.$ZodIssue | undefined, payload: unknown): ShareLinkError {
  const key = issue?.path[0];
  if (typeof key !== 'string' || !(key in PART_NAMES))
    return new ShareLinkError('link', 'The share link is cut or changed: its content is not a share; copy it again');
  const part = PART_NAMES[key as keyof typeof PART_NAMES];
  const given = (payload as Record<string, unknown>)[key];
  const shown = given === undefined ? 'missing' : key === 'k' ? 'not a valid secret' : JSON.stringify(given);
  return new ShareLinkError(key, `The share link's ${part} is ${shown}; allowed is ${issue?.message ?? 'another value'}`);
}

// btoa/atob speak Latin-1 strings: UTF-8 bytes go through them one character per byte.
function toBase64Url(textValue: string): string {
  const bytes = new TextEncoder().encode(textValue);
  const base64 = btoa(String.fromCharCode(...bytes));
  return base64.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(encoded: string): string {
  const binary = atob(encoded.replaceAll('-', '+').replaceAll('_', '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}
