// `porthole serve`: the built renderer and the Api on 127.0.0.1, like Jupyter: a random token
// in the printed URL, which the page reads once and keeps per origin (renderer/transport/
// page-token.ts); the Api socket needs it and our Origin. No cookie: see access.ts.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvent, WireServerMessage } from '../api';
import type { ApiBackend } from '../api-handlers';
import { dispatchApiCall } from '../api-dispatch';
import { checkPageAccess, checkSocketAccess, ownOrigins, type AccessRequest } from './access';
import { WIRE_API_PATH, WIRE_TOKEN_PARAM } from '../../agent/common/web-host-wire';
import { CONTENT_SECURITY_POLICY, readStaticFile } from './static-files';
import { listenOnServePort } from './serve-port';

export interface WebHostOptions {
  backend: ApiBackend;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** A person's choice (0: any free port); absent: the same port every run (./serve-port.ts). */
  port?: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
  log?: (line: string) => void;
}

export class WebHost {
  readonly token: string;
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private port = 0;
  private chosenPortNote: string | undefined;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: WebHostOptions) {
    this.token = options.token ?? randomBytes(24).toString('base64url');
    this.server = createServer((req, res) => void this.page(req, res));
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  /** The URL to print and open: the token rides in it, like Jupyter's. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/?${WIRE_TOKEN_PARAM}=${this.token}`;
  }

  /** Why the port is not the usual one (History is kept per port), for the command line to say; undefined when it is. */
  get portNote(): string | undefined {
    return this.chosenPortNote;
  }

  /** The origins of the page it serves, for the viewer bridge to accept. */
  get origins(): string[] {
    return ownOrigins(this.port);
  }

  async listen(): Promise<string> {
    const chosen = await listenOnServePort(this.server, '127.0.0.1', { requested: this.options.port });
    this.port = chosen.port;
    this.chosenPortNote = chosen.note;
    this.unsubscribe = this.options.backend.subscribe((event) => this.broadcast(event));
    return this.url;
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accessRequest(req: IncomingMessage): AccessRequest & { path: string } {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    return {
      path: url.pathname,
      host: req.headers.host,
      origin: req.headers.origin,
      queryToken: url.searchParams.get(WIRE_TOKEN_PARAM),
    };
  }

  private async page(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = this.accessRequest(req);
    const verdict = checkPageAccess(request, this.token, this.port);
    if (!verdict.allowed) {
      res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' }).end(`Forbidden: ${verdict.why}.\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = await readStaticFile(this.options.rendererDir, request.path);
    const headers: Record<string, string> = {
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (!file) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': file.contentType }).end(req.method === 'HEAD' ? undefined : file.body);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const request = this.accessRequest(req);
    const verdict =
      request.path === WIRE_API_PATH
        ? checkSocketAccess(request, this.token, this.port)
        : ({ allowed: false, status: 403, why: 'no such endpoint' } as const);
    if (!verdict.allowed) {
      this.options.log?.(`refused a WebSocket on ${request.path}: ${verdict.why}`);
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${verdict.why}\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serveSocket(ws));
  }

  private serveSocket(ws: WebSocket): void {
    for (const event of this.options.backend.snapshot()) send(ws, { event });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return send(ws, { id: null, error: { message: 'Send text frames of JSON' } });
      let request: { id?: unknown; method?: unknown; args?: unknown };
      try {
        request = JSON.parse(data.toString());
      } catch {
        return send(ws, { id: null, error: { message: 'Not JSON: send {"id", "method", "args"}' } });
      }
      const id = typeof request.id === 'number' && Number.isSafeInteger(request.id) ? request.id : null;
      if (id === null) return send(ws, { id: null, error: { message: 'A request needs a numeric "id"', field: 'id' } });
      void dispatchApiCall(this.options.backend.handlers, request.method, request.args ?? [], this.options.log).then((outcome) =>
        send(ws, { id, ...outcome } as WireServerMessage),
      );
    });
  }

  private broadcast(event: ApiEvent): void {
    for (const client of this.wss.clients) send(client, { event });
  }
}

function send(ws: WebSocket, message: WireServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}
