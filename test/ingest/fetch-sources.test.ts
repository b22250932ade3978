import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/corpus/load-corpus.ts';
import { FETCH_STATE_FILE, readFetchState } from '../../src/ingest/fetch-state.ts';
import { fetchSources, FetchSourcesError, sourceFiles } from '../../src/ingest/fetch-sources.ts';
import { articlePage, startPageServer, versionedPage, type PageServer } from '../helpers/page-server.ts';
import { snapshotDir, useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-fetch-');
const LAST_MODIFIED = 'Fri, 24 May 2024 08:00:00 GMT';
const at = (iso: string) => () => new Date(iso);

let server: PageServer;
let version = 1;
const notesPage = (n: number) =>
  `<html><head><title>Release notes</title></head><body><article><h1>Release notes</h1>` +
  `<p>Version ${n} of the product makes exports faster, adds a dark theme for the reader, and fixes the search ` +
  `box that lost its text when the page was resized on small screens.</p></article></body></html>`;

beforeAll(async () => {
  server = await startPageServer({
    '/blog/transition-to-product': versionedPage(articlePage, '"article-v1"', LAST_MODIFIED),
    // A page whose ETag follows its content, which changes when `version` does.
    '/notes': (request, response) =>
      versionedPage(() => notesPage(version), `"notes-v${version}"`, `v${version}`)(request, response),
    // A server without validators: every fetch is a full 200.
    '/plain': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(notesPage(7)),
  });
});
afterAll(() => server.close());

describe('fetchSources', () => {
  it('writes the article as <slug>.md with its front matter, and the validators beside it', async () => {
    const corpusDir = await tempDir();
    const url = server.url('/blog/transition-to-product');
    const outcomes = await fetchSources({ corpusDir, urls: [url], now: at('2026-12-06T07:00:00.000Z') });
    expect(outcomes).toEqual([{ url, file: 'transition-to-product.md', outcome: 'written' }]);

    const text = await readFile(join(corpusDir, 'transition-to-product.md'), 'utf8');
    expect(
      text.startsWith(
        '---\n' +
          'title: "How to Transition to Product Management From ANY Background"\n' +
          'author: "Carlos González De Villaumbrosia"\n' +
          'published: 2024-05-24\n' +
          `source_url: "${url}"\n` +
          'fetched_at: "2026-12-06T07:00:00.000Z"\n' +
          '---\n\n' +
          '# How to Transition to Product Management From ANY Background\n\n' +
          'You’ve decided that you want to be a Product Manager.',
      ),
    ).toBe(true);
    expect(await readFetchState(corpusDir)).toEqual({
      sources: { [url]: { file: 'transition-to-product.md', etag: '"article-v1"', lastModified: LAST_MODIFIED } },
    });
    // Ordinary corpus Markdown: the loader reads it like any other file, state file ignored.
    const [document] = await loadCorpus(corpusDir);
    expect(document).toMatchObject({
      id: 'transition-to-product',
      sourceUrl: url,
      author: 'Carlos González De Villaumbrosia',
      published: '2024-05-24',
    });
  });

  it('asks again with the validators and keeps the file as it is on a 304', async () => {
    const corpusDir = await tempDir();
    const url = server.url('/blog/transition-to-product');
    await fetchSources({ corpusDir, urls: [url], now: at('2026-12-06T07:00:00.000Z') });
    const before = await snapshotDir(corpusDir);
    const mtime = (await stat(join(corpusDir, 'transition-to-product.md'))).mtimeMs;
    const seen = server.seen.length;

    const outcomes = await fetchSources({ corpusDir, urls: [url], now: at('2026-12-07T07:00:00.000Z') });
    expect(outcomes).toEqual([{ url, file: 'transition-to-product.md', outcome: 'not-modified' }]);
    expect(server.seen[seen]!.headers).toMatchObject({
      'if-none-match': '"article-v1"',
      'if-modified-since': LAST_MODIFIED,
    });
    expect(await snapshotDir(corpusDir)).toEqual(before);
    expect((await stat(join(corpusDir, 'transition-to-product.md'))).mtimeMs).toBe(mtime);
  });

  it('rewrites the file when the page changed, and fetches it whole when the file was deleted', async () => {
    const corpusDir = await tempDir();
    const url = server.url('/notes');
    version = 1;
    await fetchSources({ corpusDir, urls: [url] });
    version = 2;
    expect(await fetchSources({ corpusDir, urls: [url] })).toEqual([{ url, file: 'notes.md', outcome: 'written' }]);
    expect(await readFile(join(corpusDir, 'notes.md'), 'utf8')).toContain('Version 2 of the product');
    expect((await readFetchState(corpusDir)).sources[url]).toEqual({
      file: 'notes.md',
      etag: '"notes-v2"',
      lastModified: 'v2',
    });

    await rm(join(corpusDir, 'notes.md'));
    const seen = server.seen.length;
    expect(await fetchSources({ corpusDir, urls: [url] })).toEqual([{ url, file: 'notes.md', outcome: 'written' }]);
    expect(server.seen[seen]!.headers).not.toHaveProperty('if-none-match');
    expect(await readFile(join(corpusDir, 'notes.md'), 'utf8')).toContain('Version 2 of the product');
  });

  it('leaves a file alone when a server without validators sends the same article again', async () => {
    const corpusDir = await tempDir();
    const url = server.url('/plain');
    await fetchSources({ corpusDir, urls: [url], now: at('2026-12-06T07:00:00.000Z') });
    const before = await readFile(join(corpusDir, 'plain.md'), 'utf8');
    expect(await fetchSources({ corpusDir, urls: [url], now: at('2026-12-08T07:00:00.000Z') })).toEqual([
      { url, file: 'plain.md', outcome: 'unchanged' },
    ]);
    expect(await readFile(join(corpusDir, 'plain.md'), 'utf8')).toBe(before);
  });

  it('writes nothing when any source fails, and names each failed URL with its reason', async () => {
    const corpusDir = await tempDir();
    const good = server.url('/blog/transition-to-product');
    version = 1;
    await fetchSources({ corpusDir, urls: [server.url('/notes')] });
    const before = await snapshotDir(corpusDir);
    version = 3;
    const urls = [good, server.url('/notes'), server.url('/missing'), server.url('/also-missing')];
    const error = await fetchSources({ corpusDir, urls }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchSourcesError);
    expect((error as FetchSourcesError).lines).toEqual([
      `${server.url('/missing')}: HTTP 404`,
      `${server.url('/also-missing')}: HTTP 404`,
    ]);
    // Neither the good page nor the changed one was written; the earlier file and state are as they were.
    expect(await snapshotDir(corpusDir)).toEqual(before);
  });

  it('never overwrites a corpus file that was not fetched from the URL', async () => {
    const corpusDir = await tempDir();
    await writeFile(join(corpusDir, 'notes.md'), '# Our own notes\n\nWritten by hand.\n');
    const before = await snapshotDir(corpusDir);
    const error = await fetchSources({ corpusDir, urls: [server.url('/notes')] }).catch((e: unknown) => e);
    expect((error as FetchSourcesError).lines).toEqual([
      `${server.url('/notes')}: notes.md is already in the corpus and was not fetched from this URL; move it or rename it`,
    ]);
    expect(await snapshotDir(corpusDir)).toEqual(before);
  });

  it('keeps its state in a dot-file the corpus loader does not read', async () => {
    const corpusDir = await tempDir();
    await fetchSources({ corpusDir, urls: [server.url('/plain')] });
    expect(JSON.parse(await readFile(join(corpusDir, FETCH_STATE_FILE), 'utf8'))).toHaveProperty('sources');
    expect((await loadCorpus(corpusDir)).map((d) => d.fileName)).toEqual(['plain.md']);
  });
});

describe('sourceFiles', () => {
  it('names each file after the last path segment, else the host; clashing names get a hash of the URL', () => {
    const files = sourceFiles([
      'https://guide.example/blog/How-To_Transition.html',
      'https://guide.example/',
      'https://a.example/docs/setup/',
      'https://b.example/setup',
      'https://c.example/caf%C3%A9-notes',
    ]);
    expect(files.get('https://guide.example/blog/How-To_Transition.html')).toBe('how-to-transition.md');
    expect(files.get('https://guide.example/')).toBe('guide-example.md');
    expect(files.get('https://a.example/docs/setup/')).toMatch(/^setup-[0-9a-f]{8}\.md$/);
    expect(files.get('https://b.example/setup')).toMatch(/^setup-[0-9a-f]{8}\.md$/);
    expect(files.get('https://a.example/docs/setup/')).not.toBe(files.get('https://b.example/setup'));
    expect(files.get('https://c.example/caf%C3%A9-notes')).toBe('cafe-notes.md');
  });
});
