// A JSON-RPC 2.0 client over one byte stream (the agent's stdio on an SSH exec channel):
// one object per line, a timeout per call, cancellation with an AbortSignal, notifications
// handed to a listener once parsed with the protocol's schema. Typed from agent/protocol.ts, so a
// method name is checked at compile time.
import {
  AGENT_NOTIFICATION_PARAMS,
  type AgentMethod,
  type AgentMethods,
  type AgentNotification,
  type AgentNotifications,
  type RpcErrorBody,
  type RpcFailure,
  type RpcNotification,
  type RpcRequest,
  type RpcSuccess,
} from '../../agent/protocol';
import { PortholeError } from '../errors';
import { systemClock, type Clock } from '../../agent/common/clock';

/** The stream side the client needs: an exec channel, or a fake in tests. */
export interface RpcStream {
  write(chunk: string): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

export class AgentRpcError extends PortholeError {
  constructor(
    readonly method: string,
    readonly body: RpcErrorBody,
  ) {
    const slurm = body.data?.slurmMessage ? ` (Slurm: ${body.data.slurmMessage})` : '';
    super(`${body.message}${slurm}`, { field: body.data?.field });
  }
}

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: unknown;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

type NotificationListener = <N extends AgentNotification>(method: N, params: AgentNotifications[N]) => void;

/** A line from the agent, before it is known which of the three it is. */
type IncomingMessage = Partial<Omit<RpcSuccess, 'id'> & Omit<RpcFailure, 'id'> & Omit<RpcNotification, 'method'>> & {
  id?: unknown;
  method?: unknown;
};

export class AgentRpcClient {
  private nextId = 1;
  private buffer = '';
  private closedReason: string | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<NotificationListener>();
  private readonly clock: Clock;

  /** `onProtocolError` is told what was dropped, in words; never the line itself, which may hold a secret. */
  constructor(
    private readonly stream: RpcStream,
    private readonly options: { defaultTimeoutMs?: number; clock?: Clock; onProtocolError?: (problem: string) => void } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    stream.on('data', (chunk) => this.receive(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
    stream.on('close', () => this.fail('the agent stopped'));
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  onNotification(listener: NotificationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  call<M extends AgentMethod>(method: M, params: AgentMethods[M]['params'], options: CallOptions = {}): Promise<AgentMethods[M]['result']> {
    if (this.closedReason) return Promise.reject(new PortholeError(`Cannot ask the agent '${method}': ${this.closedReason}`));
    if (options.signal?.aborted) return Promise.reject(new PortholeError(`'${method}' was cancelled`, { cause: options.signal.reason }));
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const entry: Pending = {
        method,
        resolve: resolve as (value: unknown) => void,
        reject,
        signal: options.signal,
        timer: this.clock.setTimeout(
          () => this.settle(id, new PortholeError(`The agent did not answer '${method}' within ${timeoutMs / 1000} s`)),
          timeoutMs,
        ),
      };
      if (options.signal) {
        // JSON-RPC has no cancel message: the late answer, if any, is dropped when it comes.
        entry.onAbort = () => this.settle(id, new PortholeError(`'${method}' was cancelled`, { cause: options.signal?.reason }));
        options.signal.addEventListener('abort', entry.onAbort, { once: true });
      }
      this.pending.set(id, entry);
      this.stream.write(JSON.stringify({ jsonrpc: '2.0', id, method, params } satisfies RpcRequest<M>) + '\n');
    });
  }

  /** Rejects every call still waiting; later calls fail at once. */
  fail(reason: string): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    for (const id of [...this.pending.keys()]) this.settle(id, new PortholeError(`The agent gave no answer: ${reason}`));
  }

  private receive(text: string): void {
    this.buffer += text;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.handleLine(line);
    }
  }

  private handleLine(line: string): void {
    let message: IncomingMessage;
    try {
      message = JSON.parse(line);
    } catch {
      this.options.onProtocolError?.(`dropped a line that is not JSON (${line.length} characters)`);
      return;
    }
    if (typeof message.method === 'string' && message.id === undefined) {
      this.handleNotification(message.method, message.params);
      return;
    }
    if (typeof message.id !== 'number') {
      this.options.onProtocolError?.(`dropped a message with neither a method nor a numeric id (${line.length} characters)`);
      return;
    }
    if (message.error) this.settle(message.id, new AgentRpcError(this.pending.get(message.id)?.method ?? '?', message.error));
    else this.settle(message.id, undefined, message.result);
  }

  /** Listeners get only a notification this version knows, with params of its schema. */
  private handleNotification(method: string, params: unknown): void {
    if (!isAgentNotification(method)) {
      this.options.onProtocolError?.(`dropped the notification '${method.slice(0, 64)}', which this version does not know`);
      return;
    }
    const parsed = AGENT_NOTIFICATION_PARAMS[method].safeParse(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.options.onProtocolError?.(`dropped a malformed ${method}: ${issue.path.join('.') || 'params'}: ${issue.message}`);
      return;
    }
    for (const listener of this.listeners) listener(method, parsed.data);
  }

  private settle(id: number, error: Error | undefined, result?: unknown): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    this.clock.clearTimeout(entry.timer);
    if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort);
    if (error) entry.reject(error);
    else entry.resolve(result);
  }
}

function isAgentNotification(method: string): method is AgentNotification {
  return Object.hasOwn(AGENT_NOTIFICATION_PARAMS, method);
}
