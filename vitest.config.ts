import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Workers tests run inside workerd with their own config (vitest.worker.config.ts).
    exclude: ['test/worker/**', 'node_modules/**'],
    environment: 'node',
    globalSetup: ['test/setup/build-web.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Tests build real indexes on disk and start real servers; a little parallelism only.
    maxWorkers: 2,
  },
});
