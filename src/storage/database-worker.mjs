// @ts-check
/**
 * The database worker thread in the source tree (dev, tests): runs database-worker.ts through
 * tsx's API, as Node 20 does not apply `--import tsx` to a worker. Under `npm start` the bundle
 * has database-worker.ts compiled to dist/server/database-worker.mjs, the same name beside
 * node.mjs, so openDatabaseThread finds its worker the same way in both layouts.
 */
import { tsImport } from 'tsx/esm/api';

await tsImport('./database-worker.ts', import.meta.url);
