import { HTTPException } from 'hono/http-exception';
import { AppError, type ErrorCode } from '../errors.ts';

/**
 * An error in OpenAI's shape, `{ "error": { "message", "type", "param", "code" } }`, which the
 * openai client turns into its typed errors (by status) and LangChain reports as is. Messages
 * are ours, never an upstream's.
 */
export class OpenAiError extends Error {
  override name = 'OpenAiError';

  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string | null,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const invalidRequest = (message: string, param: string | null = null): OpenAiError =>
  new OpenAiError(400, message, 'invalid_request_error', 'invalid_request', param);

/** Our error codes as OpenAI's (type, code): the status stays the contract's. */
const OPENAI_TYPE_AND_CODE: Record<ErrorCode, [type: string, code: string]> = {
  invalid_request: ['invalid_request_error', 'invalid_request'],
  unauthorized: ['invalid_request_error', 'invalid_api_key'],
  forbidden: ['invalid_request_error', 'forbidden'],
  not_found: ['invalid_request_error', 'not_found'],
  method_not_allowed: ['invalid_request_error', 'method_not_allowed'],
  payload_too_large: ['invalid_request_error', 'payload_too_large'],
  unsupported_media_type: ['invalid_request_error', 'unsupported_media_type'],
  rate_limited: ['rate_limit_error', 'rate_limit_exceeded'],
  internal_error: ['server_error', 'internal_error'],
  upstream_error: ['server_error', 'upstream_error'],
  index_unavailable: ['server_error', 'index_unavailable'],
  storage_unavailable: ['server_error', 'storage_unavailable'],
  timeout: ['server_error', 'timeout'],
};

/** Any error as an OpenAiError; what is neither ours nor Hono's becomes a plain 500. */
export function toOpenAiError(error: unknown): OpenAiError {
  if (error instanceof OpenAiError) return error;
  const appError =
    error instanceof AppError
      ? error
      : error instanceof HTTPException
        ? fromHttpStatus(error.status)
        : new AppError('internal_error');
  const [type, code] = OPENAI_TYPE_AND_CODE[appError.code];
  return new OpenAiError(appError.status, appError.message, type, code, null, appError.headers);
}

/** Hono's own HTTPExceptions (a malformed JSON body is its 400). */
function fromHttpStatus(status: number): AppError {
  if (status === 400) return new AppError('invalid_request', 'The body is not valid JSON.');
  if (status === 413) return new AppError('payload_too_large');
  return new AppError('internal_error');
}
