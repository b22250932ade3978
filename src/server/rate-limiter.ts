/** Decides whether a client may make another /ask request now. */
export interface RateLimiter {
  /** `retryAfter` in whole seconds when the limit is reached. */
  check(key: string): Promise<{ allowed: true } | { allowed: false; retryAfter: number }>;
}

/**
 * In-memory sliding-window limiter for one Node process: at most `perMinute` requests per
 * client in any 60 s window. Timestamps are kept per client and swept as they age out, so
 * memory stays bounded by active clients.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  async check(key: string): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
    if (this.perMinute <= 0) return { allowed: true };
    const now = this.now();
    const windowStart = now - 60_000;
    this.sweep(windowStart, now);
    const times = (this.hits.get(key) ?? []).filter((t) => t > windowStart);
    if (times.length >= this.perMinute) {
      this.hits.set(key, times);
      return { allowed: false, retryAfter: Math.max(1, Math.ceil((times[0]! - windowStart) / 1000)) };
    }
    times.push(now);
    this.hits.set(key, times);
    return { allowed: true };
  }

  private sweep(windowStart: number, now: number): void {
    if (now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    for (const [key, times] of this.hits) if (times.at(-1)! <= windowStart) this.hits.delete(key);
  }
}

export const unlimited: RateLimiter = { check: async () => ({ allowed: true }) };
