/**
 * npm start: bundle the Node server (src/node.ts), and beside it its worker threads (ingest,
 * database; scripts/node-bundle.mjs), with esbuild when its sources changed, then run the bundle
 * in this process. Starting from one pre-built file instead of transpiling
 * TypeScript at every start makes start-up (and memory) much smaller; dependencies stay in
 * node_modules (packages: 'external'), and the native hnswlib addon loads as usual.
 * src/node.ts itself builds the index and the web UI when they are missing or stale.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NODE_SERVER_ENTRIES, nodeServerBuildOptions } from './node-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'server');
const outfile = join(outdir, 'node.mjs');
const sources = [join(root, 'src'), join(root, 'web', 'build.ts'), join(root, 'package-lock.json')];

async function newestMtime(path) {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

// Built when any output (the server, or a worker thread file beside it) is missing or older than a source.
const outputs = Object.keys(NODE_SERVER_ENTRIES).map((name) => join(outdir, `${name}.mjs`));
const built = Math.min(
  ...(await Promise.all(
    outputs.map((path) =>
      stat(path).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  )),
);
const newest = Math.max(...(await Promise.all(sources.map(newestMtime))));
if (newest > built) {
  const { build } = await import('esbuild');
  await build(nodeServerBuildOptions(root, outdir));
}
await import(pathToFileURL(outfile).href);
