// The viewer bridge: noVNC connects to ws://127.0.0.1:<port>/viewer?token=…, and each such
// WebSocket is joined to one stream to the session's desktop server over the cluster's one SSH
// connection: a forward to the relay endpoint the agent keeps for the session (it knows the
// route to the node), or an exec channel running `relay <id>` when it has none. Loopback only, and checked as the Api
// socket is: our Host (a DNS-rebinding page names its own), the Origin of our own page (another
// site open in the same browser is refused even with a token), and a one-shot token.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { isOwnHost } from '../host/access';
import { ViewerTokens, type SessionOnCluster } from './viewer-tokens';
import { joinViewerStream } from './viewer-stream';
import type { UploadEndpoint } from '../files/upload-socket';

/** Opens the byte stream to a session's desktop server (LiveCluster.openRelay). */
export type RelayOpener = (target: SessionOnCluster) => Promise<Duplex>;

export interface ViewerBridgeOptions {
  log?: (line: string) => void;
  /** Tests pass tokens with their own clock. */
  tokens?: ViewerTokens;
  /** Serves `/files`: a file's bytes from the page (main/files/upload-socket.ts), admitted as a viewer stream is. */
  uploads?: UploadEndpoint;
}

export class ViewerBridge {
  readonly tokens: ViewerTokens;
  /** Kept apart from the viewer's: a token for an upload opens no desktop, and the reverse. */
  readonly uploadTokens = new ViewerTokens();
  /** Origins of the pages that may open viewer streams: none until a transport says whose. */
  private readonly pageOrigins = new Set<string>();
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private port = 0;
  /** Streams open now, for tests and for the connection state. */
  active = 0;

  constructor(
    private readonly openRelay: RelayOpener,
    private readonly options: ViewerBridgeOptions = {},
  ) {
    this.tokens = options.tokens ?? new ViewerTokens();
    this.server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('The viewer bridge speaks WebSocket only.\n');
    });
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      // Loopback only: a desktop stream must never be reachable from the network.
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /** The web host's page (http://127.0.0.1:<port>) or Electron's (porthole://app). */
  allowPageOrigins(origins: readonly string[]): void {
    for (const origin of origins) this.pageOrigins.add(origin);
  }

  /** A URL for one stream to this session, to be opened within VIEWER_TOKEN_TTL_MS. */
  urlFor(target: SessionOnCluster): string {
    if (!this.port) throw new Error('The viewer bridge is not listening yet');
    return `ws://127.0.0.1:${this.port}/viewer?token=${this.tokens.issue(target)}`;
  }

  /** A URL for one file's upload to this session's files folder, to be opened within VIEWER_TOKEN_TTL_MS. */
  uploadUrlFor(target: SessionOnCluster): string {
    if (!this.port) throw new Error('The viewer bridge is not listening yet');
    return `ws://127.0.0.1:${this.port}/files?token=${this.uploadTokens.issue(target)}`;
  }

  async close(): Promise<void> {
    this.options.uploads?.close();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Why this upgrade is refused, or the session it opens (its token is used up). */
  private admit(req: IncomingMessage): { target: SessionOnCluster; uploads?: UploadEndpoint } | { why: string } {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const uploads = url.pathname === '/files' ? this.options.uploads : undefined;
    if (url.pathname !== '/viewer' && !uploads) return { why: 'no such endpoint' };
    if (!isOwnHost(req.headers.host, this.port)) return { why: 'wrong Host' };
    if (!req.headers.origin || !this.pageOrigins.has(req.headers.origin)) return { why: 'foreign or missing Origin' };
    if (uploads) {
      const target = this.uploadTokens.take(url.searchParams.get('token'));
      return target ? { target, uploads } : { why: 'no valid upload token (each opens one upload, soon after it was issued)' };
    }
    const target = this.tokens.take(url.searchParams.get('token'));
    return target ? { target } : { why: 'no valid token (each opens one stream, soon after it was issued)' };
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const admitted = this.admit(req);
    if ('why' in admitted) {
      this.options.log?.(`refused a viewer stream: ${admitted.why}`);
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${admitted.why}\n`);
      return;
    }
    const { target } = admitted;
    if (admitted.uploads) return admitted.uploads.handleUpgrade(req, socket, head, target);
    // The relay is opened now, while the WebSocket handshake completes, not after it.
    const relay = this.openRelay(target);
    relay.catch(() => undefined); // reported through the WebSocket once it is open
    let upgraded = false;
    socket.once(
      'close',
      () =>
        void (
          upgraded ||
          relay.then(
            (r) => r.destroy(),
            () => undefined,
          )
        ),
    );
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      this.active += 1;
      ws.once('close', () => (this.active -= 1));
      joinViewerStream(ws, relay, (end) => {
        if (end.error) this.options.log?.(`viewer stream of ${target.cluster}/${target.sessionId} ended: ${end.error}`);
      });
    });
  }
}
