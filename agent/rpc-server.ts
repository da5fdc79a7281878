// `serve`: JSON-RPC 2.0, one object per line on stdin/stdout. A malformed line gets an error
// answer, never a crash, and params are parsed with the method's schema (protocol.ts) before a
// handler runs; the server ends when stdin closes.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { callMethod, type MethodHandlers } from './agent-methods';
import { toRpcError } from './errors';
import {
  AGENT_METHODS,
  RPC_ERRORS,
  type AgentMethod,
  type AgentNotification,
  type AgentNotifications,
  type RpcFailure,
  type RpcNotification,
  type RpcSuccess,
} from './protocol';

export class RpcServer {
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly handlers: MethodHandlers,
    private readonly output: Writable,
  ) {}

  notify<N extends AgentNotification>(method: N, params: AgentNotifications[N]): void {
    this.write({ jsonrpc: '2.0', method, params } satisfies RpcNotification<N>);
  }

  /** Reads requests until `input` ends, then waits for the answers still being worked out. */
  async serve(input: Readable): Promise<void> {
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      const answer = this.handleLine(line);
      this.pending.add(answer);
      void answer.finally(() => this.pending.delete(answer));
    }
    await Promise.all([...this.pending]);
  }

  async handleLine(line: string): Promise<void> {
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch (error) {
      this.fail(null, RPC_ERRORS.parseError, `The line is not JSON (${(error as Error).message}); send one JSON-RPC 2.0 object per line.`);
      return;
    }
    if (!request || typeof request !== 'object' || Array.isArray(request)) {
      this.fail(null, RPC_ERRORS.invalidRequest, 'A request is one JSON object with jsonrpc "2.0", id, method and params.');
      return;
    }
    const { id, method, params, jsonrpc } = request as Record<string, unknown>;
    const replyId = typeof id === 'string' || typeof id === 'number' ? id : null;
    if (jsonrpc !== '2.0' || typeof method !== 'string') {
      this.fail(replyId, RPC_ERRORS.invalidRequest, 'A request needs jsonrpc "2.0" and a method name.');
      return;
    }
    if (!isAgentMethod(method)) {
      this.fail(replyId, RPC_ERRORS.methodNotFound, `There is no method '${method}'; the methods are: ${AGENT_METHODS.join(', ')}.`);
      return;
    }
    try {
      const result = await callMethod(this.handlers, method, params);
      if (replyId !== null) this.write({ jsonrpc: '2.0', id: replyId, result } satisfies RpcSuccess);
    } catch (error) {
      if (replyId !== null) this.write({ jsonrpc: '2.0', id: replyId, error: toRpcError(error) } satisfies RpcFailure);
    }
  }

  private fail(id: number | string | null, code: number, message: string): void {
    this.write({ jsonrpc: '2.0', id, error: { code, message } } satisfies RpcFailure);
  }

  private write(message: object): void {
    this.output.write(JSON.stringify(message) + '\n');
  }
}

function isAgentMethod(method: string): method is AgentMethod {
  return (AGENT_METHODS as readonly string[]).includes(method);
}
