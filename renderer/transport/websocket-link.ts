// The Api over the web host's WebSocket (wire format: the Wire* types of main/api.ts). Reconnects
// by itself with backoff and says "offline" while the host does not answer, so the UI can show
// cached data as cached. Calls made while offline fail at once instead of hanging.
import { backoffDelay, HOST_LINK_RECONNECT } from '../../agent/common/backoff';
import type { ApiEvent, ApiMethod, ApiMethods, WireRequest, WireServerMessage } from '../../main/api';
import { ApiCallError } from './api-call-error';
import type { ApiLink, LinkStatus } from './link';

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface WebSocketLinkOptions {
  url: string;
  /** How long a call made before the first connection waits for it. */
  firstConnectWaitMs?: number;
}

export class WebSocketLink implements ApiLink {
  status: LinkStatus = 'connecting';
  private socket: WebSocket | null = null;
  private nextId = 1;
  private attempt = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly waiting: { send: () => void; fail: (e: Error) => void }[] = [];
  private readonly eventHandlers = new Set<(event: ApiEvent) => void>();
  private readonly statusHandlers = new Set<(status: LinkStatus) => void>();

  constructor(private readonly options: WebSocketLinkOptions) {
    this.open();
  }

  call<M extends ApiMethod>(method: M, ...args: ApiMethods[M]['args']): Promise<ApiMethods[M]['result']> {
    return new Promise((resolve, reject) => {
      const send = () => {
        const id = this.nextId++;
        this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
        this.socket!.send(JSON.stringify({ id, method, args } satisfies WireRequest<M>));
      };
      if (this.socket?.readyState === WebSocket.OPEN) return send();
      if (this.status === 'connecting') {
        const entry = { send, fail: reject };
        this.waiting.push(entry);
        setTimeout(() => {
          const index = this.waiting.indexOf(entry);
          if (index >= 0) {
            this.waiting.splice(index, 1);
            reject(this.offlineError(method));
          }
        }, this.options.firstConnectWaitMs ?? 10_000);
        return;
      }
      reject(this.offlineError(method));
    });
  }

  subscribe(handler: (event: ApiEvent) => void): () => void {
    this.eventHandlers.add(handler);
    return () => this.eventHandlers.delete(handler);
  }

  onStatus(handler: (status: LinkStatus) => void): () => void {
    this.statusHandlers.add(handler);
    return () => this.statusHandlers.delete(handler);
  }

  private offlineError(method: string): ApiCallError {
    return new ApiCallError({ message: "Offline: Porthole's host does not answer (it may have stopped); retrying by itself" }, method);
  }

  private setStatus(status: LinkStatus): void {
    if (status === this.status) return;
    this.status = status;
    for (const handler of this.statusHandlers) handler(status);
  }

  private open(): void {
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus('online');
      for (const entry of this.waiting.splice(0)) entry.send();
    };
    socket.onmessage = (message) => this.receive(String(message.data));
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      for (const [id, call] of this.pending) {
        this.pending.delete(id);
        call.reject(new ApiCallError({ message: `The connection to Porthole's host was lost during '${call.method}'` }, call.method));
      }
      // The first connection keeps callers waiting for a while; after that, offline is offline.
      if (this.status !== 'connecting' || this.attempt > 0) {
        for (const entry of this.waiting.splice(0)) entry.fail(this.offlineError('call'));
        this.setStatus('offline');
      }
      this.attempt += 1;
      setTimeout(() => this.open(), backoffDelay(this.attempt, HOST_LINK_RECONNECT));
    };
  }

  private receive(text: string): void {
    let message: WireServerMessage;
    try {
      message = JSON.parse(text) as WireServerMessage;
    } catch {
      return;
    }
    if ('event' in message) {
      for (const handler of this.eventHandlers) handler(message.event);
      return;
    }
    if (message.id === null) return;
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    if ('error' in message) call.reject(new ApiCallError(message.error, call.method));
    else call.resolve(message.result);
  }
}
