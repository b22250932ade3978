import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { nodeServerBuildOptions } from '../../scripts/node-bundle.mjs';
import { repoRoot } from '../helpers/temp-dir.ts';

const EXTRACTION_PACKAGES = ['linkedom', '@mozilla/readability', 'turndown', '@joplin/turndown-plugin-gfm'];

describe('the HTML extraction packages', () => {
  it('are not loaded when the npm start server bundle starts: only imported when HTML is met', {
    timeout: 60_000,
  }, async () => {
    await mkdir(join(repoRoot, 'dist'), { recursive: true });
    const outdir = await mkdtemp(join(repoRoot, 'dist', 'test-html-libraries-'));
    try {
      await build(nodeServerBuildOptions(repoRoot, outdir));
      const server = await readFile(join(outdir, 'node.mjs'), 'utf8');
      for (const name of EXTRACTION_PACKAGES) {
        // The server can re-index a corpus that holds HTML, so the package is in the bundle, lazily.
        expect(server).toContain(`import("${name}`);
        expect(server).not.toMatch(new RegExp(`^import [^;]*from "${name.replace('/', '\\/')}(/[^"]*)?";`, 'm'));
      }
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
