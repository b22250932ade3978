import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The project root: the nearest folder above this module with a package.json. Found rather
 * than assumed, because this module also runs bundled into dist/server (see scripts/start.mjs).
 */
const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
/** Where the built UI goes; served by the Node server and bundled as Workers static assets. */
export const WEB_OUT_DIR = join(ROOT, 'dist', 'web');
const WEB_DIR = join(ROOT, 'web');
const STAMP = '.built';
/** Copied as they are, next to the bundle. */
const STATIC_FILES = ['index.html', 'styles.css', 'favicon.svg'];

/** Bundle web/src/main.ts and the widget, and copy the static files into dist/web. */
export async function buildWeb(outDir = WEB_OUT_DIR): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await buildWidget(join(outDir, 'widget.js'));
  await build({
    entryPoints: [join(WEB_DIR, 'src', 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    outfile: join(outDir, 'app.js'),
    logLevel: 'warning',
  });
  for (const file of STATIC_FILES) await cp(join(WEB_DIR, file), join(outDir, file));
  await writeFile(join(outDir, STAMP), new Date().toISOString());
}

/**
 * Bundle the embeddable widget (web/src/widget.ts) into one classic script: other sites load
 * it with a plain `<script src>`, where `document.currentScript` (how it finds its own origin)
 * works, unlike in a module. Its CSS is bundled in as text.
 */
export async function buildWidget(outFile: string): Promise<void> {
  await build({
    entryPoints: [join(WEB_DIR, 'src', 'widget.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    sourcemap: false,
    loader: { '.css': 'text' },
    outfile: outFile,
    logLevel: 'warning',
  });
}

/** Sources outside web/ that the UI bundles: the contract's request limits. */
const SHARED_SOURCES = [join(ROOT, 'src', 'http-contract.ts')];

/** True when dist/web is missing or older than any file under web/ or a shared source it bundles. */
export async function webAssetsStale(outDir = WEB_OUT_DIR): Promise<boolean> {
  const built = await stat(join(outDir, STAMP)).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (!built) return true;
  const shared = await Promise.all(
    SHARED_SOURCES.map((path) =>
      stat(path).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  );
  return Math.max(await newestMtime(WEB_DIR), ...shared) > built;
}

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(path) : (await stat(path)).mtimeMs);
  }
  return newest;
}
