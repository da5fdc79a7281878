// One call from a transport, whatever carried it: checks the method name against API_METHODS
// and the arguments against api-args.ts, runs the handler, and turns any failure into the
// ApiErrorBody the renderer shows.
import { API_METHODS, type ApiErrorBody, type ApiMethod } from './api';
import { isApiMethod, parseApiArgs } from './api-args';
import type { ApiHandlers } from './api-handlers';
import { PortholeError, toApiError } from './errors';

export type DispatchOutcome = { result: unknown } | { error: ApiErrorBody };

export async function dispatchApiCall(
  handlers: ApiHandlers,
  method: unknown,
  args: unknown,
  log?: (line: string) => void,
): Promise<DispatchOutcome> {
  try {
    if (!isApiMethod(method, API_METHODS)) {
      throw new PortholeError(`'${String(method).slice(0, 64)}' is not an Api method`, { field: 'method' });
    }
    const parsed = parseApiArgs(method, args);
    const handler = handlers[method] as (...a: unknown[]) => Promise<unknown>;
    return { result: await handler(...(parsed as unknown[])) };
  } catch (error) {
    if (!(error instanceof PortholeError))
      log?.(`${String(method)} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { error: toApiError(error) };
  }
}

export type { ApiMethod };
