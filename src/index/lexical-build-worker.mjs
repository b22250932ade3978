// @ts-check
/**
 * The lexical index worker thread in the source tree (dev, tests, `npm run ingest`): runs
 * lexical-build-worker.ts through tsx's API rather than a loader flag, as Node 20 does not
 * apply `--import tsx` to a worker. Under `npm start` this file is not used: the bundle has
 * lexical-build-worker.ts compiled to dist/server/lexical-build-worker.mjs, the same name
 * beside node.mjs, so lexicalIndexJson finds its worker the same way in both layouts.
 */
import { tsImport } from 'tsx/esm/api';

await tsImport('./lexical-build-worker.ts', import.meta.url);
