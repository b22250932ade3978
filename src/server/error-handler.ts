import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/**
 * How every failure becomes the contract's JSON error: AppErrors as they are, Hono's own
 * exceptions by their status, anything else as a 500 whose detail goes to the log only.
 */

type ValidationResult = { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } };

/** The OpenAPI routes' validation hook: a schema violation is a 400 naming the field. */
export function rejectInvalidRequest(result: ValidationResult): void {
  if (result.success) return;
  const issue = result.error?.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : 'body';
  throw new AppError('invalid_request', `${field}: ${issue?.message ?? 'invalid value'}`);
}

export const handleNotFound: NotFoundHandler = () => {
  throw new AppError('not_found');
};

export function handleError(logger: Logger): ErrorHandler {
  return (error, c) => {
    const appError = asContractError(error);
    if (appError.status >= 500 && !(error instanceof AppError)) {
      logger.error({ err: describeError(error), route: c.req.path }, 'unhandled error');
    }
    for (const [name, value] of Object.entries(appError.headers)) c.header(name, value);
    return c.json(appError.toJSON(), appError.status as 400);
  };
}

/** The contract's error for anything thrown while handling a request. */
function asContractError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    // Hono's JSON validator throws 400 for a body that is not valid JSON.
    if (error.status === 400) return new AppError('invalid_request', 'body: malformed JSON');
    if (error.status === 413) return new AppError('payload_too_large');
    if (error.status === 415) return new AppError('unsupported_media_type');
  }
  return new AppError('internal_error');
}

/** An error as one line for the log: its name and message, never a stack or a response body. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
