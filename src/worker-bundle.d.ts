/**
 * The index generation `npm run build:worker` exports for the Worker (dist/worker/index-data.js).
 * Declared here so type checking works before the first build and never parses the data.
 */
declare module '*/dist/worker/index-data.js' {
  const bundle: import('./index/bundled-index.ts').IndexBundle;
  export default bundle;
}
