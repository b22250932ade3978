import { join } from 'node:path';

/**
 * How a Node entry point is bundled, the same for `npm start` (scripts/start.mjs) and the
 * bare endpoint `npm run bench` compares /ask against: one ESM file per entry, dependencies
 * left in node_modules (the native hnswlib addon loads as usual), source maps beside it.
 */
export const NODE_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

/**
 * The entries of the server bundle `npm start` runs (relative to the repository root), each
 * bundled to `<name>.mjs` in one folder: the server, the worker threads of a large ingest and
 * the database's thread. src/index and src/storage start each from next to themselves
 * (new URL('./<name>.mjs', import.meta.url)), so next to node.mjs once bundled.
 */
export const NODE_SERVER_ENTRIES = {
  node: 'src/node.ts',
  'hnsw-build-worker': 'src/index/hnsw-build-worker.mjs',
  'lexical-build-worker': 'src/index/lexical-build-worker.ts',
  'database-worker': 'src/storage/database-worker.ts',
};

/**
 * esbuild options for the server bundle of the repository at `root` into `outdir`; `extra`
 * entries (same form) are bundled beside it (tests call a bundled module in the same layout).
 */
export function nodeServerBuildOptions(root, outdir, extra = {}) {
  const entries = { ...NODE_SERVER_ENTRIES, ...extra };
  return {
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(root, path)])),
    outdir,
    outExtension: { '.js': '.mjs' },
    ...NODE_BUNDLE_OPTIONS,
  };
}
