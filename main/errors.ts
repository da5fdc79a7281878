// One error type for whatever a person has to fix: it carries the field that was wrong (when
// the error is about input), and it is what both transports send to the renderer as
// ApiErrorBody. Anything else that reaches a transport is an internal error.
import type { ApiErrorBody } from './api';

export class PortholeError extends Error {
  readonly field?: string;
  constructor(message: string, options: { cause?: unknown; field?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PortholeError';
    this.field = options.field;
  }
}

/** What a transport sends for a failed call: our own message, or the error's with its cause. */
export function toApiError(error: unknown): ApiErrorBody {
  if (error instanceof PortholeError) return error.field ? { message: error.message, field: error.field } : { message: error.message };
  if (error instanceof Error) return { message: error.message };
  return { message: String(error) };
}
