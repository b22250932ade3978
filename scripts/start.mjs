/**
 * npm start: bundle the Node server (src/node.ts) with esbuild when its sources changed, then
 * run the bundle in this process. Starting from one pre-built file instead of transpiling
 * TypeScript at every start makes start-up (and memory) much smaller; dependencies stay in
 * node_modules (packages: 'external'), and the native hnswlib addon loads as usual.
 * src/node.ts itself builds the index and the web UI when they are missing or stale.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NODE_BUNDLE_OPTIONS } from './node-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'server', 'node.mjs');
const sources = [join(root, 'src'), join(root, 'web', 'build.ts'), join(root, 'package-lock.json')];

async function newestMtime(path) {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

const built = await stat(outfile).then((s) => s.mtimeMs, () => 0);
const newest = Math.max(...(await Promise.all(sources.map(newestMtime))));
if (newest > built) {
  const { build } = await import('esbuild');
  await build({
    // The HNSW worker thread of a large ingest is loaded from next to the bundle
    // (new URL('./hnsw-build-worker.mjs', import.meta.url) in src/index/hnsw-build.ts).
    entryPoints: { node: join(root, 'src', 'node.ts'), 'hnsw-build-worker': join(root, 'src', 'index', 'hnsw-build-worker.mjs') },
    outdir: dirname(outfile),
    outExtension: { '.js': '.mjs' },
    ...NODE_BUNDLE_OPTIONS,
  });
}
await import(pathToFileURL(outfile).href);
