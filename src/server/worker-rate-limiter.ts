import { MemoryRateLimiter, unlimited, type RateLimiter } from './rate-limiter.ts';

/**
 * The Workers rate-limiting binding (`[[ratelimits]]` in wrangler.toml). Its limit and period
 * live in wrangler.toml, not in code; counters are kept per Cloudflare location.
 */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * A RateLimiter backed by the Workers rate-limiting binding. The binding answers only yes or
 * no, so a refusal asks the client to wait one whole period (the binding's window is fixed,
 * and waiting that long is always enough).
 */
export class BindingRateLimiter implements RateLimiter {
  constructor(
    private readonly binding: RateLimitBinding,
    private readonly periodSeconds = 60,
  ) {}

  async check(key: string): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
    const { success } = await this.binding.limit({ key });
    return success ? { allowed: true } : { allowed: false, retryAfter: this.periodSeconds };
  }
}

/**
 * The Worker's limiter for /ask: off when RATE_LIMIT_PER_MINUTE is 0; the binding when
 * there is one; otherwise an in-memory window per isolate, which only limits the requests
 * one isolate happens to see (good enough for `wrangler dev`, not for production).
 */
export function workerRateLimiter(perMinute: number, binding: RateLimitBinding | undefined): RateLimiter {
  if (perMinute <= 0) return unlimited;
  if (binding) return new BindingRateLimiter(binding);
  return new MemoryRateLimiter(perMinute);
}
