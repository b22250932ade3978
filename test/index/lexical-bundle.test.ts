import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeServerBuildOptions } from '../../scripts/node-bundle.mjs';
import { buildLexicalIndex } from '../../src/index/lexical-index.ts';
import { repoRoot } from '../helpers/temp-dir.ts';

/**
 * Under `npm start` the server runs as an esbuild bundle (dist/server/node.mjs), and an ingest
 * of 10,000 chunks or more builds its lexical index on a worker thread started from next to
 * the bundle. Rather than ingest 10,000 chunks through the server, the server bundle is built
 * here exactly as scripts/start.mjs builds it (nodeServerBuildOptions), plus lexical-build.ts
 * as one more entry beside node.mjs, so that its lexicalIndexJson, bundled, starts the worker
 * the way node.mjs does. It is called in a plain Node process (no TypeScript loader), and must
 * not fall back to building on the main thread: no LEXICAL_WORKER_FALLBACK warning, and the
 * JSON comes term by term (more than one piece; the main thread's is one piece). Removing the
 * bundled worker file shows the check can fail, and that the fallback says so.
 */
const execFileAsync = promisify(execFile);
let outdir = '';

beforeAll(async () => {
  // Inside the repository: the bundle imports its dependencies (minisearch, ...) from node_modules.
  await mkdir(join(repoRoot, 'dist'), { recursive: true });
  outdir = await mkdtemp(join(repoRoot, 'dist', 'test-lexical-bundle-'));
  await build(nodeServerBuildOptions(repoRoot, outdir, { 'lexical-build': 'src/index/lexical-build.ts' }));
});
afterAll(async () => {
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

/** Distinct words per passage, so that the index has a few thousand terms. */
const documents = Array.from({ length: 2500 }, (_, id) => ({
  id,
  heading: `Section ${id % 9} roadmap ${(id * 7919).toString(36)}`,
  text: `Passage ${id} about ${['pricing', 'hiring', 'interviews', 'résumés', 'stakeholders'][id % 5]} and ${(id * 104729).toString(36)}, the team’s ${id % 3 ? 'launch' : 'research'}.`,
}));

const probe = `
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
const warnings = [];
process.on('warning', (warning) => warnings.push({ code: warning.code, message: warning.message }));
const { lexicalIndexJson } = await import(new URL('./lexical-build.mjs', import.meta.url).href);
const documents = JSON.parse(await readFile(new URL('./documents.json', import.meta.url), 'utf8'));
const pieces = await lexicalIndexJson(documents, true);
await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
console.log(JSON.stringify({ pieces: pieces.length, sha256: createHash('sha256').update(pieces.join('')).digest('hex'), warnings }));
`;

async function runBundled(): Promise<{
  pieces: number;
  sha256: string;
  warnings: Array<{ code?: string; message: string }>;
}> {
  // A plain Node process, as npm start: no tsx, nothing from this test runner.
  const { stdout } = await execFileAsync(process.execPath, [join(outdir, 'probe.mjs')], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('lexicalIndexJson in the npm start bundle', () => {
  it('builds on the bundled worker thread (no fallback), to the same bytes; without the worker file it warns and builds here', async () => {
    await writeFile(join(outdir, 'probe.mjs'), probe);
    await writeFile(join(outdir, 'documents.json'), JSON.stringify(documents));
    const expected = createHash('sha256')
      .update(JSON.stringify(buildLexicalIndex(documents)))
      .digest('hex');

    // The bundled worker is self-contained: it does not load TypeScript through tsx.
    const worker = await readFile(join(outdir, 'lexical-build-worker.mjs'), 'utf8');
    expect(worker).not.toContain('tsx');
    expect(worker).toContain('serializationVersion');

    const threaded = await runBundled();
    expect(threaded.warnings).toEqual([]);
    expect(threaded.pieces).toBeGreaterThan(2);
    expect(threaded.sha256).toBe(expected);

    await rm(join(outdir, 'lexical-build-worker.mjs'));
    const fallback = await runBundled();
    expect(fallback.warnings).toHaveLength(1);
    expect(fallback.warnings[0]).toMatchObject({
      code: 'LEXICAL_WORKER_FALLBACK',
      message: expect.stringMatching(/main thread.*lexical-build-worker\.mjs/),
    });
    expect(fallback.pieces).toBe(1);
    expect(fallback.sha256).toBe(expected);
  });
});
