// A failed Api call as the renderer sees it, whichever transport carried it: the message to
// show, and the field it is about when the input was wrong.
import type { ApiErrorBody } from '../../main/api';

export class ApiCallError extends Error {
  readonly field?: string;
  constructor(
    body: ApiErrorBody,
    readonly method?: string,
  ) {
    super(body.message);
    this.name = 'ApiCallError';
    this.field = body.field;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
