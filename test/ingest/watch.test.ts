import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorpusError } from '../../src/corpus/load-corpus.ts';
import { readCurrentGeneration } from '../../src/index/write-generation.ts';
import type { IngestResult } from '../../src/ingest/run-ingest.ts';
import { watchCorpus } from '../../src/ingest/watch-corpus.ts';
import { copyCorpus } from '../helpers/corpus-copy.ts';
import { repoRoot, useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-watch-');

/** Poll until `check` holds (a file watcher reports changes after a moment). */
async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('watchCorpus (npm run ingest -- --watch)', () => {
  it('ingests at once, re-ingests after a change, reports a bad file in one line and keeps the served generation', {
    timeout: 60_000,
  }, async () => {
    const { corpusDir, indexDir, config } = await copyCorpus(await tempDir());
    const results: IngestResult[] = [];
    const failures: unknown[] = [];
    const watch = watchCorpus({
      config,
      debounceMs: 100,
      onIngested: (r) => results.push(r),
      onFailed: (e) => failures.push(e),
    });
    try {
      await watch.ready;
      expect(results).toHaveLength(1);
      const first = results[0]!.generation;
      expect(await readCurrentGeneration(indexDir)).toBe(first);

      // Several saves in a row are one re-ingest (debounced).
      await writeFile(join(corpusDir, 'gamma.md'), '# Gamma Notes\n\nSmokers calm the bees before an inspection.\n');
      await writeFile(
        join(corpusDir, 'gamma.md'),
        '# Gamma Notes\n\nSmokers calm the bees before a hive inspection.\n',
      );
      await until(() => results.length === 2, 'the re-ingest after adding gamma.md');
      expect(results[1]).toMatchObject({ upToDate: false, documents: 3 });
      expect(await readCurrentGeneration(indexDir)).toBe(results[1]!.generation);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(results).toHaveLength(2);

      // A bad file: reported, and the generation being served stays.
      const served = results[1]!.generation;
      await writeFile(join(corpusDir, 'broken.md'), '---\npublished: someday\n---\n\n# Broken\n\nText.\n');
      await until(() => failures.length === 1, 'the failure report for broken.md');
      expect(failures[0]).toBeInstanceOf(CorpusError);
      expect((failures[0] as Error).message).toMatch(/broken\.md: invalid front matter field "published"/);
      expect((failures[0] as Error).message).not.toContain('\n');
      expect(await readCurrentGeneration(indexDir)).toBe(served);

      // Mended: the next change is ingested.
      await rm(join(corpusDir, 'broken.md'));
      await until(() => results.length === 3, 'the re-ingest after removing broken.md');
      expect(results[2]!.upToDate).toBe(true);
      await writeFile(join(corpusDir, 'synonyms.txt'), 'smoker, fumigator\n');
      await until(() => results.length === 4, 'the re-ingest after adding synonyms.txt');
      expect(results[3]!.generation).not.toBe(served);
    } finally {
      await watch.close();
    }
    // Closed: changes are no longer followed.
    await writeFile(join(corpusDir, 'delta.md'), '# Delta\n\nText.\n');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(results).toHaveLength(4);
  });

  it('as the CLI: reports a bad file in one line, goes on watching, and exits 0 on Ctrl-C (SIGINT)', {
    timeout: 60_000,
  }, async () => {
    const { corpusDir, indexDir } = await copyCorpus(await tempDir());
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', '--watch'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NO_COLOR: '1',
        EMBEDDINGS: 'local',
        CORPUS_DIR: corpusDir,
        INDEX_DIR: indexDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until(() => stderr.includes('watching'), `"watching" (stdout: ${stdout}, stderr: ${stderr})`, 40_000);
      expect(stdout).toMatch(/^Indexed 2 document\(s\)/);
      const served = await readCurrentGeneration(indexDir);
      await writeFile(join(corpusDir, 'photo.png'), new Uint8Array([1, 2, 3]));
      await writeFile(join(corpusDir, 'bad.md'), new Uint8Array([0x23, 0x20, 0xe9, 0x0a]));
      await until(() => /^error: /m.test(stderr), 'the error line');
      const errorLines = stderr.split('\n').filter((l) => l.startsWith('error: '));
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]).toMatch(/bad\.md: not valid UTF-8 text \(the index being served is unchanged\)$/);
      expect(stderr).toContain('warning: skipped photo.png: not .md, .html or .txt');
      expect(await readCurrentGeneration(indexDir)).toBe(served);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stderr).toContain('stopped watching');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
