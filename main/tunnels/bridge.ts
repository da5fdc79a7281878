// The viewer bridge: noVNC connects to ws://127.0.0.1:<port>/viewer?token=…, and each such
// WebSocket is joined to one exec channel running the agent's `relay <id>` on the cluster's one
// SSH connection (the agent knows the route to the node). Loopback only; no token, no tunnel.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ViewerTokens, type RelayTarget } from './viewer-tokens';
import { joinViewerStream } from './viewer-stream';

/** Opens the byte stream to a session's desktop server (an exec channel running `relay`). */
export type RelayOpener = (target: RelayTarget) => Promise<Duplex>;

export class ViewerBridge {
  readonly tokens = new ViewerTokens();
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private port = 0;
  /** Streams open now, for tests and for the connection state. */
  active = 0;

  constructor(private readonly openRelay: RelayOpener, private readonly options: { log?: (line: string) => void } = {}) {
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

  urlFor(target: RelayTarget): string {
    if (!this.port) throw new Error('The viewer bridge is not listening yet');
    return `ws://127.0.0.1:${this.port}/viewer?token=${this.tokens.issue(target)}`;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const target = url.pathname === '/viewer' ? this.tokens.resolve(url.searchParams.get('token')) : null;
    if (!target) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nThis viewer link has no valid token.\n');
      return;
    }
    // The relay is opened now, while the WebSocket handshake completes, not after it.
    const relay = this.openRelay(target);
    relay.catch(() => undefined); // reported through the WebSocket once it is open
    let upgraded = false;
    socket.once('close', () => void (upgraded || relay.then((r) => r.destroy(), () => undefined)));
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
