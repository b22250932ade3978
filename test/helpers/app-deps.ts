import type { LoadedIndex } from '../../src/index/loaded-index.ts';
import type { AppDeps } from '../../src/server/app.ts';
import { consoleJsonLogger } from '../../src/logger.ts';
import { unlimited } from '../../src/server/rate-limiter.ts';

/** The app config tests run with (10 s timeout, CORS closed, questions not logged, no API keys), with `overrides`. */
export function testConfig(overrides: Partial<AppDeps['config']> = {}): AppDeps['config'] {
  return { REQUEST_TIMEOUT_MS: 10_000, ALLOWED_ORIGINS: [], LOG_QUESTIONS: false, API_KEYS: [], ...overrides };
}

/**
 * Dependencies for createApp in tests: the given index, extractive answers, no rate limit. The
 * app logs everything (debug) through console, which vitest shows for a failing test only.
 */
export function appDeps(index: LoadedIndex | null, overrides: Partial<AppDeps> = {}): AppDeps {
  return {
    config: testConfig(),
    index: { current: () => index },
    answer: { mode: 'extractive' },
    logger: consoleJsonLogger('debug'),
    rateLimiter: unlimited,
    clientAddress: () => '127.0.0.1',
    ...overrides,
  };
}
