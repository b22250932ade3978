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
    let times = this.hits.get(key);
    if (!times) this.hits.set(key, (times = []));
    // Timestamps are in order: the expired ones are a prefix, dropped in one go, instead of
    // filtering the whole window into a new array on every check.
    let expired = 0;
    while (expired < times.length && times[expired]! <= windowStart) expired++;
    if (expired > 0) times.splice(0, expired);
    if (times.length >= this.perMinute)
      return { allowed: false, retryAfter: Math.max(1, Math.ceil((times[0]! - windowStart) / 1000)) };
    times.push(now);
    return { allowed: true };
  }

  private sweep(windowStart: number, now: number): void {
    if (now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    for (const [key, times] of this.hits) if (times.at(-1)! <= windowStart) this.hits.delete(key);
  }
}

export const unlimited: RateLimiter = { check: async () => ({ allowed: true }) };
