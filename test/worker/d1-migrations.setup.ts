import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

/**
 * The D1 database of each test file starts empty: create its tables from migrations/ the way
 * `wrangler d1 migrations apply` does (TEST_MIGRATIONS is read in Node by the config).
 */
await applyD1Migrations(env.DB as never, env.TEST_MIGRATIONS as never);
