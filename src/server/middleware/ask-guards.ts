import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../errors.ts';
import { BODY_LIMIT_BYTES } from '../../http-contract.ts';
import type { AppDeps } from '../app.ts';

/**
 * What a POST /ask must pass before its body is read: the client's rate limit, a JSON content
 * type, and the body size limit.
 */
export function askGuards(deps: Pick<AppDeps, 'rateLimiter' | 'clientAddress'>): MiddlewareHandler[] {
  return [admission(deps), bodySizeLimit()];
}

/**
 * The JSON content types the route's validators read, exactly (@hono/zod-openapi's request
 * matcher): anything else gets the contract's 415 here, rather than reaching a validator that
 * answers with its own 415 or silently validates an empty body.
 */
const JSON_CONTENT_TYPE = /^application\/([a-z.-]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

function admission(deps: Pick<AppDeps, 'rateLimiter' | 'clientAddress'>): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const limit = await deps.rateLimiter.check(deps.clientAddress(c));
    if (!limit.allowed) throw new AppError('rate_limited', undefined, { 'Retry-After': String(limit.retryAfter) });
    if (!JSON_CONTENT_TYPE.test(c.req.header('content-type') ?? '')) throw new AppError('unsupported_media_type');
    return next();
  };
}

/** Enforced while the body streams in, not only from Content-Length. */
function bodySizeLimit(): MiddlewareHandler {
  const limitStreamedBody = bodyLimit({
    maxSize: BODY_LIMIT_BYTES,
    onError: () => {
      throw new AppError('payload_too_large');
    },
  });
  return (c, next) => {
    // bodyLimit's own rule for a request with Content-Length and no Transfer-Encoding (the
    // HTTP parser never reads past the length), applied without touching c.req.raw.body: on
    // Node that builds a web stream for every request instead of letting the validator read
    // the body directly, a third of the HTTP cost of /ask. Chunked bodies go to bodyLimit.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return limitStreamedBody(c, next);
    if (parseInt(length || '0', 10) > BODY_LIMIT_BYTES) throw new AppError('payload_too_large');
    return next();
  };
}
