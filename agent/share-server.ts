// One share's server (docs/architecture.md, "Sharing a desktop view-only"): a Unix socket only
// the owner and one watcher can connect to (share-access.ts), where each connection must first
// send `PORTHOLE-SHARE 1 <shareId> <secret>\n`, then speaks RFB with security None. The desktop
// is reached through the session's relay with the owner's password, and the watcher's messages
// pass through the view-only filter.
import { createHash, timingSafeEqual } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { RelayEndpoint } from './protocol';
import { ClientMessageFilter } from './share-rfb-filter';
import { desktopHandshake, SocketReader, watcherHandshake } from './share-rfb-handshake';

export const SHARE_LINE_PREFIX = 'PORTHOLE-SHARE 1';
/**
 * Asks the server to read shares.json again: how `shares.stop` in one `serve` of the owner cuts
 * the watchers of a share another `serve` of theirs on this login node serves. Harmless from
 * anyone who can connect: it can only make the server find that its share was stopped.
 */
export const SHARE_RECHECK_LINE = 'PORTHOLE-SHARE-RECHECK 1';
const MAX_LINE_BYTES = 200;

/** The first line a watcher's agent sends. */
export function shareLine(shareId: string, secret: string): string {
  return `${SHARE_LINE_PREFIX} ${shareId} ${secret}\n`;
}

export function secretSha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface ShareServerDeps {
  shareId: string;
  secretSha256: string;
  expiresAt: Date;
  now: () => Date;
  /** The session's relay endpoint and the owner's VNC password, asked for each watcher. */
  desktop: () => Promise<{ endpoint: RelayEndpoint; password?: string }>;
  /** Called when a watcher comes (after the RFB handshake) or goes. */
  onWatchersChanged: () => void;
  /** Called on SHARE_RECHECK_LINE: the share may have been stopped by another agent of the owner. */
  onRecheck: () => void;
  log: (line: string) => void;
}

export class ShareServer {
  private readonly server: Server;
  /** Every connection, in the handshake or watching: all are cut when the share ends. */
  private readonly connections = new Set<Socket>();
  private readonly watching = new Map<Socket, Date>();

  constructor(private readonly deps: ShareServerDeps) {
    this.server = createServer((socket) => void this.serve(socket));
  }

  listen(socket: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(socket, () => resolve());
    });
  }

  /** The watchers now, oldest first. */
  watchers(): { since: string }[] {
    return [...this.watching.values()].map((since) => ({ since: since.toISOString() }));
  }

  /** Stops listening and cuts every connection at once. */
  close(): void {
    this.server.close();
    for (const socket of this.connections) socket.destroy();
  }

  private async serve(watcher: Socket): Promise<void> {
    this.connections.add(watcher);
    let desktop: Socket | undefined;
    const cut = (): void => {
      watcher.destroy();
      desktop?.destroy();
    };
    watcher.on('error', cut);
    watcher.on('close', () => {
      this.connections.delete(watcher);
      desktop?.destroy();
      if (this.watching.delete(watcher)) this.deps.onWatchersChanged();
    });
    const fromWatcher = new SocketReader(watcher, 'the watcher');
    try {
      const line = await fromWatcher.readLine(MAX_LINE_BYTES);
      if (line === SHARE_RECHECK_LINE) {
        watcher.end();
        this.deps.onRecheck();
        return;
      }
      const refusal = this.refusal(line);
      if (refusal) {
        watcher.end(`ERR ${refusal}\n`);
        return;
      }
      watcher.write('OK\n');
      let fromDesktop: SocketReader | undefined;
      await watcherHandshake(watcher, fromWatcher, async () => {
        const { endpoint, password } = await this.deps.desktop();
        desktop = await connected('socket' in endpoint ? connect(endpoint.socket) : connect(endpoint.port, endpoint.host));
        desktop.on('error', cut);
        desktop.on('close', cut);
        fromDesktop = new SocketReader(desktop, 'the desktop');
        return desktopHandshake(desktop, fromDesktop, password);
      });
      this.relay(watcher, fromWatcher.release(), desktop!, fromDesktop!.release());
      this.watching.set(watcher, this.deps.now());
      this.deps.onWatchersChanged();
    } catch (error) {
      this.deps.log(`share ${this.deps.shareId}: ${(error as Error).message}`);
      cut();
    }
  }

  /** Why the first line does not open this share, or undefined when it does. */
  private refusal(line: string): string | undefined {
    const words = line.split(' ');
    if (words.length !== 4 || `${words[0]} ${words[1]}` !== SHARE_LINE_PREFIX) return 'not a share request';
    if (words[2] !== this.deps.shareId) return 'unknown share: it was stopped';
    const given = Buffer.from(secretSha256(words[3]), 'hex');
    if (!timingSafeEqual(given, Buffer.from(this.deps.secretSha256, 'hex'))) return 'wrong secret: the link was changed';
    if (this.deps.now() >= this.deps.expiresAt) return 'expired';
    return undefined;
  }

  /** Desktop → watcher as it comes; watcher → desktop only through the view-only filter. */
  private relay(watcher: Socket, watcherRest: Buffer, desktop: Socket, desktopRest: Buffer): void {
    const filter = new ClientMessageFilter();
    const forward = (chunk: Buffer): void => {
      try {
        const allowed = filter.push(chunk);
        if (allowed.length) desktop.write(allowed);
      } catch (error) {
        this.deps.log(`share ${this.deps.shareId}: ${(error as Error).message}; the watcher is cut off`);
        watcher.destroy();
        desktop.destroy();
      }
    };
    if (desktopRest.length) watcher.write(desktopRest);
    desktop.pipe(watcher);
    if (watcherRest.length) forward(watcherRest);
    watcher.on('data', forward);
    watcher.resume();
  }
}

function connected(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
