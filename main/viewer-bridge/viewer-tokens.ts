// Tokens of the viewer bridge: each names one session of one cluster, opens one stream, and is
// void soon after it was issued, so a token seen later (a log, a process list, another local
// user's guess) opens nothing. The viewer asks the Api for a fresh one (sessions.viewerUrl) every
// time it connects, reconnects included. Kept as their SHA-256, so a lookup by string says
// nothing about how close a guess was.
import { createHash, randomBytes } from 'node:crypto';
import type { RelayEndpoint } from '../../agent/protocol';

export interface SessionOnCluster {
  cluster: string;
  sessionId: string;
  /** Another user's shared desktop: the endpoint the agent gave for this stream (shares.open), not the session's relay. */
  sharedEndpoint?: RelayEndpoint;
}

/** Long enough for a page to open the WebSocket it just asked for, on a busy machine. */
export const VIEWER_TOKEN_TTL_MS = 30_000;

export interface ViewerTokenOptions {
  /** Epoch milliseconds; tests pass their own clock. */
  now?: () => number;
  ttlMs?: number;
}

export class ViewerTokens {
  private readonly byHash = new Map<string, SessionOnCluster & { expiresAt: number }>();
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(options: ViewerTokenOptions = {}) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? VIEWER_TOKEN_TTL_MS;
  }

  /** A new token for one stream to this session. */
  issue(target: SessionOnCluster): string {
    this.forgetExpired();
    const token = randomBytes(32).toString('base64url');
    this.byHash.set(hash(token), { ...target, expiresAt: this.now() + this.ttlMs });
    return token;
  }

  /** The session a token names, using the token up: a second use or a late one finds nothing. */
  take(token: string | null | undefined): SessionOnCluster | null {
    if (!token) return null;
    const key = hash(token);
    const entry = this.byHash.get(key);
    if (!entry) return null;
    this.byHash.delete(key);
    const { expiresAt, ...target } = entry;
    return expiresAt > this.now() ? target : null;
  }

  revoke(target: Partial<SessionOnCluster>): void {
    for (const [key, entry] of this.byHash) {
      if ((!target.cluster || entry.cluster === target.cluster) && (!target.sessionId || entry.sessionId === target.sessionId))
        this.byHash.delete(key);
    }
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.byHash) if (entry.expiresAt <= now) this.byHash.delete(key);
  }
}

function hash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
