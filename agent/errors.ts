// The three kinds of failure the agent reports, each mapped to one CLI exit code and one
// JSON-RPC error code (protocol.ts), so a person or the app can tell them apart.
import { RPC_ERRORS, type RpcErrorBody } from './protocol';

/** A value from a person or a file is not allowed: names the field, the value and what is allowed. CLI exit 2. */
export class BadInputError extends Error {
  constructor(
    readonly field: string,
    readonly given: unknown,
    readonly allowed: string,
  ) {
    super(`${field}: ${describeGiven(given)} is not allowed; ${allowed}`);
  }
}

/** Something named by id does not exist (a session). CLI exit 2, because the id was the input. */
export class NotFoundError extends Error {}

/** An external command refused or timed out; `slurmMessage` keeps its own words. CLI exit 1. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly slurmMessage: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function describeGiven(given: unknown): string {
  const text = typeof given === 'string' ? JSON.stringify(given) : String(JSON.stringify(given) ?? given);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

export function toRpcError(error: unknown): RpcErrorBody {
  if (error instanceof BadInputError) {
    return {
      code: RPC_ERRORS.invalidParams,
      message: error.message,
      data: { field: error.field, given: error.given, allowed: error.allowed },
    };
  }
  if (error instanceof NotFoundError) return { code: RPC_ERRORS.notFound, message: error.message };
  if (error instanceof CommandError)
    return { code: RPC_ERRORS.commandFailed, message: error.message, data: { slurmMessage: error.slurmMessage } };
  return { code: RPC_ERRORS.internalError, message: error instanceof Error ? error.message : String(error) };
}

export function exitCodeFor(error: unknown): number {
  return error instanceof BadInputError || error instanceof NotFoundError ? 2 : 1;
}
