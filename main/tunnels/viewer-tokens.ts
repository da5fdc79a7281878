// Per-session tokens of the viewer bridge: a random secret names one session of one cluster.
// Kept as their SHA-256, so a lookup by string says nothing about how close a guess was.
import { createHash, randomBytes } from 'node:crypto';

export interface RelayTarget {
  cluster: string;
  sessionId: string;
}

export class ViewerTokens {
  private readonly byHash = new Map<string, RelayTarget & { token: string }>();

  /** The token of this session, made on first use; every viewer of the session shares it. */
  issue(target: RelayTarget): string {
    for (const entry of this.byHash.values()) {
      if (entry.cluster === target.cluster && entry.sessionId === target.sessionId) return entry.token;
    }
    const token = randomBytes(32).toString('base64url');
    this.byHash.set(hash(token), { ...target, token });
    return token;
  }

  resolve(token: string | null | undefined): RelayTarget | null {
    if (!token) return null;
    const entry = this.byHash.get(hash(token));
    return entry ? { cluster: entry.cluster, sessionId: entry.sessionId } : null;
  }

  revoke(target: Partial<RelayTarget>): void {
    for (const [key, entry] of this.byHash) {
      if ((!target.cluster || entry.cluster === target.cluster) && (!target.sessionId || entry.sessionId === target.sessionId)) this.byHash.delete(key);
    }
  }
}

function hash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
