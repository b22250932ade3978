import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { BODY_LIMIT_BYTES } from '../http-contract.ts';

/**
 * The JSON content types the routes' validators read, exactly (@hono/zod-openapi's request
 * matcher): anything else gets the contract's 415 here.
 */
const JSON_CONTENT_TYPE = /^application\/([a-z.-]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

export interface JsonRequestGuardOptions {
  rateLimiter: RateLimiter;
  clientAddress: (c: Parameters<MiddlewareHandler>[0]) => string;
  /** Prefix of the rate-limit key: each route counts its own requests per client. */
  bucket: string;
}

/**
 * The checks a JSON POST route makes before its validator, in the order /ask makes them:
 * rate limit (429 with Retry-After), JSON content type (415), body at most BODY_LIMIT_BYTES
 * (413, enforced while a chunked body streams in, from Content-Length otherwise).
 */
export function jsonRequestGuard(options: JsonRequestGuardOptions): MiddlewareHandler {
  const limitBody = bodyLimit({
    maxSize: BODY_LIMIT_BYTES,
    onError: () => {
      throw new AppError('payload_too_large');
    },
  });
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const limit = await options.rateLimiter.check(`${options.bucket}:${options.clientAddress(c)}`);
    if (!limit.allowed) throw new AppError('rate_limited', undefined, { 'Retry-After': String(limit.retryAfter) });
    if (!JSON_CONTENT_TYPE.test(c.req.header('content-type') ?? '')) throw new AppError('unsupported_media_type');
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return limitBody(c, next);
    if (parseInt(length || '0', 10) > BODY_LIMIT_BYTES) throw new AppError('payload_too_large');
    return next();
  };
}
