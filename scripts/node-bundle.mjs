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
