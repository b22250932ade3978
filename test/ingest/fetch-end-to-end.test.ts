import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { loadCurrentGeneration, localOnlyQueryEmbedder } from '../../src/index/load-generation.ts';
import { fetchListedSources } from '../../src/ingest/fetch-sources.ts';
import { runIngest } from '../../src/ingest/run-ingest.ts';
import { askExtractive } from '../helpers/ask-extractive.ts';
import { articlePage, startPageServer, versionedPage, type PageServer } from '../helpers/page-server.ts';
import { repoRoot, servedIndexFiles, snapshotDir, useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-fetch-e2e-');
/** A fetch and an ingest take a second or two alone; other test files spawn and build at the same time. */
const CLI_TIMEOUT = { timeout: 90_000 };

let server: PageServer;
beforeAll(async () => {
  server = await startPageServer({
    '/blog/transition-to-product': versionedPage(articlePage, '"v1"', 'Fri, 24 May 2024 08:00:00 GMT'),
  });
});
afterAll(() => server.close());

/** A corpus folder whose assistant.yaml lists `urls`, plus one hand-written document. */
async function corpusListing(urls: string[]): Promise<string> {
  const corpusDir = join(await tempDir(), 'corpus');
  await mkdir(corpusDir);
  await writeFile(
    join(corpusDir, 'assistant.yaml'),
    `name: Career guide\nsources:\n${urls.map((u) => `  - url: ${u}\n`).join('')}`,
  );
  await writeFile(
    join(corpusDir, 'office-hours.md'),
    '# Office hours\n\nThe support desk is open from nine to five on weekdays, and answers email within one working day.\n',
  );
  return corpusDir;
}

function runIngestCli(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', EMBEDDINGS: 'local', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a fetched page, end to end', () => {
  it('is fetched, ingested with the rest of the corpus, and answers a question citing it', CLI_TIMEOUT, async () => {
    const url = server.url('/blog/transition-to-product');
    const corpusDir = await corpusListing([url]);
    const indexDir = join(await tempDir(), 'index');
    const lines: string[] = [];
    await fetchListedSources(corpusDir, (line) => lines.push(line));
    expect(lines).toEqual([`fetched: ${url} -> ${join(corpusDir, 'transition-to-product.md')}`]);

    const summary = await runIngest({ config: loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir }) });
    expect(summary.documents).toBe(2);
    const index = (await loadCurrentGeneration(indexDir, localOnlyQueryEmbedder))!;

    const answer = await askExtractive(index, 'How do I move from sales into product management?');
    expect(answer.support).toBe('answered');
    expect(answer.citations.length).toBeGreaterThan(0);
    const first = answer.citations[0]!;
    expect(first).toMatchObject({
      document: 'transition-to-product',
      section: 'Moving from Sales to Product Management',
    });
    expect(first.sourceUrl?.startsWith(url)).toBe(true);
    // The chrome is not in the index: nothing can be quoted from it.
    const offTopic = await askExtractive(index, 'How do I subscribe to the newsletter and sign up free?');
    expect(offTopic.citations.map((c) => c.quote).join(' ')).not.toMatch(/Sign up free|Subscribe to The Product Blog/);
  });

  it(
    'through npm run ingest -- --fetch: fetched, then indexed; without --fetch, no request is made',
    CLI_TIMEOUT,
    async () => {
      const url = server.url('/blog/transition-to-product');
      const corpusDir = await corpusListing([url]);
      const indexDir = join(await tempDir(), 'index');
      const env = { CORPUS_DIR: corpusDir, INDEX_DIR: indexDir };

      const fetched = await runIngestCli(env, ['--fetch', '--json']);
      expect(fetched.stderr).toBe(`fetched: ${url} -> ${join(corpusDir, 'transition-to-product.md')}\n`);
      expect(fetched.code).toBe(0);
      expect(JSON.parse(fetched.stdout)).toMatchObject({ documents: 2 });

      const seen = server.seen.length;
      const offline = await runIngestCli(env, ['--json']);
      expect(offline.code).toBe(0);
      expect(JSON.parse(offline.stdout)).toMatchObject({ documents: 2 });
      expect(server.seen.length).toBe(seen);
    },
  );

  it(
    'a failed --fetch names the URL and its reason, exits non-zero, and touches neither corpus nor index',
    CLI_TIMEOUT,
    async () => {
      const good = server.url('/blog/transition-to-product');
      const corpusDir = await corpusListing([good]);
      const indexDir = join(await tempDir(), 'index');
      const env = { CORPUS_DIR: corpusDir, INDEX_DIR: indexDir };
      await fetchListedSources(corpusDir, () => {});
      await runIngest({ config: loadConfig(env) });
      const missing = server.url('/retired-page');
      await writeFile(join(corpusDir, 'assistant.yaml'), `sources:\n  - url: ${good}\n  - url: ${missing}\n`);
      const corpusBefore = await snapshotDir(corpusDir);
      const indexBefore = await snapshotDir(indexDir, servedIndexFiles);

      const failed = await runIngestCli(env, ['--fetch']);
      expect(failed.code).toBe(1);
      // All or nothing: the good source's outcome is not reported either, only the failure.
      expect(failed.stderr).toBe(`error: ${missing}: HTTP 404\n`);
      expect(failed.stdout).toBe('');
      expect(await snapshotDir(corpusDir)).toEqual(corpusBefore);
      expect(await snapshotDir(indexDir, servedIndexFiles)).toEqual(indexBefore);
      expect((await readdir(corpusDir)).sort()).toEqual([
        '.fetch-state.json',
        'assistant.yaml',
        'office-hours.md',
        'transition-to-product.md',
      ]);
    },
  );
});
