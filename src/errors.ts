/**
 * The one catalogue of error codes clients see, with their HTTP status. Messages are ours,
 * never an upstream's or a stack trace.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  upstream_error: 502,
  index_unavailable: 503,
  storage_unavailable: 503,
  timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const DEFAULT_MESSAGE: Record<ErrorCode, string> = {
  invalid_request: 'The request is not valid.',
  unauthorized: 'Not signed in or no valid key: send Authorization: Bearer <key or token>.',
  forbidden: 'This request is not allowed from here.',
  not_found: 'Not found.',
  method_not_allowed: 'This method is not allowed here; see the Allow header.',
  payload_too_large: 'The request body is too large (limit 16 KiB).',
  unsupported_media_type: 'Send the request as JSON with Content-Type: application/json.',
  rate_limited: 'Too many requests; wait a moment and try again.',
  internal_error: 'Something went wrong on our side.',
  upstream_error: 'The model server failed to answer. Try again shortly.',
  index_unavailable: 'The search index is not available yet. Run npm run ingest, then try again.',
  storage_unavailable: 'Feedback cannot be saved right now. Try again later.',
  timeout: 'The answer took too long and was stopped.',
};

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string = DEFAULT_MESSAGE[code],
    /** Extra response headers, e.g. Retry-After for rate_limited. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }

  toJSON(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
