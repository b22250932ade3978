import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.ts';
import { BODY_LIMIT_BYTES } from '../http-contract.ts';

/**
 * The request body limit (BODY_LIMIT_BYTES), enforced while the body streams in, not only
 * from Content-Length. A request with Content-Length and no Transfer-Encoding is checked
 * from the header alone (the HTTP parser never reads past the length), without touching
 * c.req.raw.body: on Node that would build a web stream for every request, a third of the
 * HTTP cost of a cached answer. Chunked bodies go to Hono's bodyLimit.
 */
export function limitBody(maxBytes: number = BODY_LIMIT_BYTES): MiddlewareHandler {
  const streamed = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('payload_too_large');
    },
  });
  return (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    if (parseInt(length || '0', 10) > maxBytes) throw new AppError('payload_too_large');
    return next();
  };
}
