import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter, unlimited } from '../../src/server/rate-limiter.ts';
import { BindingRateLimiter, workerRateLimiter, type RateLimitBinding } from '../../src/server/worker-rate-limiter.ts';

/** The Worker's limiter choice, with a fake binding (the real one is exercised in worker.test.ts). */

function fakeBinding(allowed: number): RateLimitBinding & { keys: string[] } {
  const keys: string[] = [];
  return { keys, limit: async ({ key }) => ({ success: keys.push(key) <= allowed }) };
}

describe('workerRateLimiter', () => {
  it('asks the binding, keyed by client, and asks a refused client to wait one period', async () => {
    const binding = fakeBinding(1);
    const limiter = workerRateLimiter(60, binding);
    expect(limiter).toBeInstanceOf(BindingRateLimiter);
    expect(await limiter.check('203.0.113.7')).toEqual({ allowed: true });
    expect(await limiter.check('203.0.113.7')).toEqual({ allowed: false, retryAfter: 60 });
    expect(binding.keys).toEqual(['203.0.113.7', '203.0.113.7']);
  });

  it('is off when RATE_LIMIT_PER_MINUTE is 0, even with a binding', () => {
    expect(workerRateLimiter(0, fakeBinding(0))).toBe(unlimited);
  });

  it('falls back to an in-memory window when there is no binding', async () => {
    const limiter = workerRateLimiter(2, undefined);
    expect(limiter).toBeInstanceOf(MemoryRateLimiter);
    expect((await limiter.check('a')).allowed).toBe(true);
    expect((await limiter.check('a')).allowed).toBe(true);
    expect((await limiter.check('a')).allowed).toBe(false);
  });
});
