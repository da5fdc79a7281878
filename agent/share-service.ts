// The owner's side of sharing (docs/architecture.md, "Sharing a desktop view-only"): makes and
// stops shares, keeps them in the session's shares.json, runs one ShareServer per share on this
// login node, cuts them off at expiry or when the session ends, and serves them again when
// `serve` starts. The watcher's side is share-watch.ts.
import { randomBytes } from 'node:crypto';
import { BadInputError, NotFoundError } from './errors';
import type { RelayEndpoint, Session, ShareInfo } from './protocol';
import { formatShareLink } from './common/share-link';
import { ServedElsewhereError, type ShareAccess, shareSocketPath, userId } from './share-access';
import { connect } from 'node:net';
import { SHARE_RECHECK_LINE, secretSha256, ShareServer } from './share-server';
import type { ShareRecord, ShareStore } from './share-store';
import type { CommandRunner } from './command-runner';
import type { SessionService } from './session-service';

export interface ShareServiceDeps {
  owner: string;
  ownerUid: number;
  /** This login node's host name: the links name it, and only its shares are served here. */
  loginNode: string;
  clusterName: () => Promise<string>;
  sessions: Pick<SessionService, 'show' | 'connection' | 'list' | 'viewOnlyPassword'>;
  store: ShareStore;
  access: ShareAccess;
  /** The session's relay endpoint on this login node (relay-endpoints.ts). */
  desktopEndpoint: (sessionId: string) => Promise<RelayEndpoint>;
  run: CommandRunner;
  now: () => Date;
  /** Tells the app the session changed (its shares or watchers). */
  onSessionChanged: (sessionId: string) => void;
  log: (line: string) => void;
}

interface RunningShare {
  sessionId: string;
  record: ShareRecord;
  server: ShareServer;
  expiry: NodeJS.Timeout;
}

const SHARE_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export class ShareService {
  private readonly running = new Map<string, RunningShare>();

  constructor(private readonly deps: ShareServiceDeps) {}

  async create(params: { id: string; user: string; minutes: number }): Promise<{ share: ShareInfo; link: string }> {
    const { deps } = this;
    const session = await deps.sessions.show(params.id);
    if (session.state !== 'ready') throw new BadInputError('id', params.id, `a ready session; this one is ${session.state}`);
    if (deps.sessions.connection(params.id, false).kind !== 'vnc')
      throw new BadInputError('id', params.id, 'a VNC session; a Moonlight (Sunshine) session cannot be shared');
    if (params.user === deps.owner) throw new BadInputError('user', params.user, 'another user than yourself, the owner');
    const watcherUid = await userId(params.user, deps.loginNode, deps.run);
    const secret = randomBytes(32).toString('base64url');
    const now = deps.now();
    const record: ShareRecord = {
      shareId: [...randomBytes(12)].map((byte) => SHARE_ID_ALPHABET[byte % SHARE_ID_ALPHABET.length]).join(''),
      user: params.user,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + params.minutes * 60_000).toISOString(),
      secretSha256: secretSha256(secret),
      loginNode: deps.loginNode,
    };
    const link = formatShareLink({
      clusterName: await deps.clusterName(),
      loginNode: deps.loginNode,
      owner: deps.owner,
      user: params.user,
      sessionId: params.id,
      shareId: record.shareId,
      secret,
      expiresAt: record.expiresAt,
    });
    // Served first, kept second: a share that cannot be served (no ACLs) is never written down.
    await this.start(params.id, record, watcherUid);
    deps.store.add(params.id, record);
    deps.onSessionChanged(params.id);
    return { share: this.info(record), link };
  }

  async stop(params: { id: string; shareId: string }): Promise<{ stopped: true }> {
    const removed = this.deps.store.remove(params.id, params.shareId);
    const wasRunning = this.running.has(params.shareId);
    await this.halt(params.shareId);
    // Another `serve` of the owner on this login node may serve it: it reads shares.json again and cuts its watchers.
    if (!wasRunning && removed?.loginNode === this.deps.loginNode) await recheck(shareSocketPath(this.deps.ownerUid, params.shareId));
    if (!removed && !wasRunning)
      throw new NotFoundError(`Session '${params.id}' has no share '${params.shareId}'; it may have expired or been stopped already.`);
    this.deps.onSessionChanged(params.id);
    return { stopped: true };
  }

  /** The session as the app sees it: with its unexpired shares and who watches them now. */
  withShares(session: Session): Session {
    if (session.state === 'ended') return session;
    const now = this.deps.now().getTime();
    let records: ShareRecord[];
    try {
      records = this.deps.store.read(session.id).filter((record) => Date.parse(record.expiresAt) > now);
    } catch (error) {
      this.deps.log((error as Error).message);
      return session;
    }
    return records.length ? { ...session, shares: records.map((record) => this.info(record)) } : session;
  }

  /** When `serve` starts: serves again the unexpired shares of this login node, and forgets expired ones. */
  async restore(): Promise<void> {
    await this.adopt(await this.deps.sessions.list({ all: false }));
  }

  /**
   * Brings this agent's servers in line with shares.json, after each poll: serves the unexpired
   * shares of this login node nobody serves (another `serve` of the owner that served them has
   * ended), and stops those another agent of the owner stopped (their record is gone).
   */
  async adopt(sessions: Session[]): Promise<void> {
    for (const session of sessions) {
      if (session.state === 'ended') {
        await this.sessionEnded(session.id);
        continue;
      }
      let records: ShareRecord[];
      try {
        records = this.deps.store.read(session.id);
      } catch (error) {
        this.deps.log((error as Error).message);
        continue;
      }
      for (const [shareId, share] of this.running)
        if (share.sessionId === session.id && !records.some((record) => record.shareId === shareId)) {
          await this.halt(shareId);
          this.deps.onSessionChanged(session.id);
        }
      for (const record of records) {
        if (Date.parse(record.expiresAt) <= this.deps.now().getTime()) this.deps.store.remove(session.id, record.shareId);
        else if (record.loginNode === this.deps.loginNode && session.state === 'ready' && !this.running.has(record.shareId))
          await this.start(session.id, record, await userId(record.user, this.deps.loginNode, this.deps.run)).catch((error: Error) => {
            if (!(error instanceof ServedElsewhereError))
              this.deps.log(`share ${record.shareId} of ${session.id} could not be served again: ${error.message}`);
          });
      }
    }
  }

  /** The session is over: every share of it is cut off and forgotten. */
  async sessionEnded(sessionId: string): Promise<void> {
    let records: ShareRecord[] = [];
    try {
      records = this.deps.store.read(sessionId);
    } catch (error) {
      this.deps.log((error as Error).message);
    }
    for (const record of records) this.deps.store.remove(sessionId, record.shareId);
    for (const [shareId, share] of this.running) if (share.sessionId === sessionId) await this.halt(shareId);
  }

  /** Cuts every watcher off and removes every socket: `serve` is ending (the shares come back with it). */
  async closeAll(): Promise<void> {
    for (const shareId of [...this.running.keys()]) await this.halt(shareId);
  }

  private async start(sessionId: string, record: ShareRecord, watcherUid: number): Promise<void> {
    const { deps } = this;
    const socket = await deps.access.prepare(record.shareId, watcherUid);
    const server = new ShareServer({
      shareId: record.shareId,
      secretSha256: record.secretSha256,
      expiresAt: new Date(record.expiresAt),
      now: deps.now,
      desktop: async () => {
        // The view-only password makes Xvnc itself ignore input: a second lock behind the filter.
        // A session started before it existed has only the owner's, and the filter alone.
        const connection = deps.sessions.connection(sessionId, true);
        const password = deps.sessions.viewOnlyPassword(sessionId) ?? ('password' in connection ? connection.password : undefined);
        return { endpoint: await deps.desktopEndpoint(sessionId), password };
      },
      onWatchersChanged: () => deps.onSessionChanged(sessionId),
      onRecheck: () => {
        if (!deps.store.read(sessionId).some((kept) => kept.shareId === record.shareId))
          void this.halt(record.shareId).then(() => deps.onSessionChanged(sessionId));
      },
      log: deps.log,
    });
    try {
      await server.listen(socket);
      await deps.access.openSocket(socket, watcherUid);
    } catch (error) {
      server.close();
      await deps.access.remove(record.shareId);
      throw error;
    }
    const expiry = setTimeout(
      () => void this.expire(sessionId, record.shareId),
      Math.max(0, Date.parse(record.expiresAt) - deps.now().getTime()),
    );
    expiry.unref();
    this.running.set(record.shareId, { sessionId, record, server, expiry });
  }

  private async expire(sessionId: string, shareId: string): Promise<void> {
    this.deps.store.remove(sessionId, shareId);
    await this.halt(shareId);
    this.deps.onSessionChanged(sessionId);
  }

  private async halt(shareId: string): Promise<void> {
    const share = this.running.get(shareId);
    if (!share) return;
    this.running.delete(shareId);
    clearTimeout(share.expiry);
    share.server.close();
    await this.deps.access.remove(shareId);
  }

  private info(record: ShareRecord): ShareInfo {
    return {
      shareId: record.shareId,
      user: record.user,
      createdAt: record.createdAt,
      expiresAt: record.expiresAt,
      loginNode: record.loginNode,
      watchers: this.running.get(record.shareId)?.server.watchers() ?? [],
    };
  }
}

/** Sends SHARE_RECHECK_LINE to a share's socket and waits for the server to close it; nobody listening is fine. */
function recheck(socket: string): Promise<void> {
  return new Promise((resolve) => {
    const stream = connect(socket, () => stream.write(`${SHARE_RECHECK_LINE}\n`));
    stream.on('error', () => resolve());
    stream.on('close', () => resolve());
    stream.resume();
  });
}
