import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import type { ApiKeys } from './api-keys.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** The JSON content types a POST to /v1 or /mcp may carry. */
const JSON_CONTENT_TYPE = /^application\/([a-z.-]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

export interface ApiAccessDeps {
  keys: ApiKeys;
  rateLimiter: RateLimiter;
  clientAddress(c: Context): string;
}

/**
 * The door of the programmatic APIs (/v1, /mcp), in this order: the client address's rate
 * limit (the same counter as /ask, so a second door does not double an address's budget),
 * the API key when API_KEYS is set, the key's own rate limit, then JSON for a POST. Failures
 * are AppErrors; each API renders them in its own protocol's shape.
 */
export function apiAccess(deps: ApiAccessDeps): MiddlewareHandler {
  return async (c, next) => {
    await checkRate(deps.rateLimiter, deps.clientAddress(c));
    if (deps.keys.required) {
      const keyId = await deps.keys.verify(c.req.header('authorization'));
      if (!keyId) throw new AppError('unauthorized', undefined, { 'WWW-Authenticate': 'Bearer realm="ask-the-guide"' });
      await checkRate(deps.rateLimiter, `key:${keyId}`);
    }
    if (c.req.method === 'POST' && !JSON_CONTENT_TYPE.test(c.req.header('content-type') ?? '')) {
      throw new AppError('unsupported_media_type');
    }
    return next();
  };
}

async function checkRate(limiter: RateLimiter, key: string): Promise<void> {
  const limit = await limiter.check(key);
  if (!limit.allowed) throw new AppError('rate_limited', undefined, { 'Retry-After': String(limit.retryAfter) });
}
