import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Workers tests run inside workerd with their own config (vitest.worker.config.ts).
    exclude: ['test/worker/**', 'node_modules/**'],
    environment: 'node',
    // Console output (the servers' logs included) is kept per test and printed only for a test
    // that fails; `npx vitest run --silent=false` prints it all (docs/testing.md).
    silent: 'passed-only',
    globalSetup: ['test/setup/build-web.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Tests build real indexes on disk and start real servers; a little parallelism only.
    maxWorkers: 2,
  },
});
