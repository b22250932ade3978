import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { embeddingText } from '../../src/corpus/embedding-text.ts';
import {
  IndexVerificationError,
  loadCurrentGeneration,
  localOnlyQueryEmbedder,
  type QueryEmbedderFactory,
} from '../../src/index/load-generation.ts';
import { IngestError, runIngest } from '../../src/ingest/run-ingest.ts';
import { servedIndexFiles, snapshotDir, useTempDirs } from '../helpers/temp-dir.ts';
import {
  embeddingsResponse,
  OPENAI_TEST_API_KEY,
  OPENAI_TEST_BASE_URL,
  useOpenAITestServer,
  type EmbeddingsRequestBody,
} from '../mocks/openai-server.ts';

const DIMS = 16;
const SECTIONS = 150;
const openai = useOpenAITestServer({ dims: DIMS });
const tempDir = useTempDirs('atg-openai-');

/** A corpus of one document with more passages than one embeddings request carries (128). */
async function bigCorpus(): Promise<{ corpusDir: string; indexDir: string }> {
  const root = await tempDir();
  const corpusDir = join(root, 'corpus');
  await mkdir(corpusDir);
  const sections = Array.from(
    { length: SECTIONS },
    (_, i) => `## Topic ${i + 1}\n\nParagraph ${i + 1} explains item number ${i + 1} of the many items.`,
  );
  await writeFile(
    join(corpusDir, 'many.md'),
    `# Many Topics\n\nAn introduction to many topics.\n\n${sections.join('\n\n')}\n`,
  );
  return { corpusDir, indexDir: join(root, 'index') };
}

const openAIConfig = (corpusDir: string, indexDir: string) =>
  loadConfig({
    CORPUS_DIR: corpusDir,
    INDEX_DIR: indexDir,
    EMBEDDINGS: 'openai',
    OPENAI_API_KEY: OPENAI_TEST_API_KEY,
    OPENAI_BASE_URL: OPENAI_TEST_BASE_URL,
  });

/** Query embedder for a loaded openai index: the fake model itself. */
const fakeModelQueries: QueryEmbedderFactory = () => ({ embedQuery: async (text: string) => openai.vectorFor(text) });

const batchInputs = (requests: Array<{ body: EmbeddingsRequestBody }>) =>
  requests.flatMap((r) => (Array.isArray(r.body.input) ? r.body.input : []));

const rateLimited = (headers: Record<string, string>, error: Record<string, string>) =>
  HttpResponse.json({ error }, { status: 429, headers });

describe('runIngest with EMBEDDINGS=openai (msw at the HTTP edge)', () => {
  it('embeds every passage exactly once in batches of at most 128, decoding base64 vectors', async () => {
    const { corpusDir, indexDir } = await bigCorpus();
    const summary = await runIngest({ config: openAIConfig(corpusDir, indexDir) });
    expect(summary.chunks).toBe(SECTIONS + 1);
    expect(summary.embedded).toBe(summary.chunks);

    const requests = openai.embeddingRequests();
    for (const r of requests) {
      expect(r.url.href).toBe(`${OPENAI_TEST_BASE_URL}/embeddings`);
      expect(r.headers.get('authorization')).toBe(`Bearer ${OPENAI_TEST_API_KEY}`);
      expect(r.body).toMatchObject({ model: 'text-embedding-3-small', encoding_format: 'base64' });
    }
    const batches = requests.filter((r) => Array.isArray(r.body.input));
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect((b.body.input as string[]).length).toBeLessThanOrEqual(128);

    const index = (await loadCurrentGeneration(indexDir, fakeModelQueries))!;
    // Every passage's embedding text went out once (LangChain sends newlines as spaces).
    const expected = index.chunks.map((c) => embeddingText(c).replace(/\n/g, ' '));
    const sent = batchInputs(requests);
    expect(sent).toHaveLength(expected.length);
    expect([...sent].sort()).toEqual([...expected].sort());

    expect(index.manifest.embedder).toEqual({ id: 'openai', model: 'text-embedding-3-small', dims: DIMS });
    // The stored vectors are the decoded float32 the server sent: each passage's own vector finds it first.
    for (const [position, chunk] of index.chunks.entries()) {
      const hits = index.vectors.search(openai.vectorFor(embeddingText(chunk).replace(/\n/g, ' ')), 1);
      expect(hits[0]!.position).toBe(position);
      expect(hits[0]!.score).toBeCloseTo(1, 4);
    }
  });

  it('reuses cached vectors on the next run: only the dimension probe goes out', async () => {
    const { corpusDir, indexDir } = await bigCorpus();
    const config = openAIConfig(corpusDir, indexDir);
    await runIngest({ config });
    openai.clearRequests();
    // Forced: an unchanged corpus would not be ingested at all.
    const second = await runIngest({ config, force: true });
    expect(second).toMatchObject({ embedded: 0, reused: second.chunks, removed: 0, upToDate: false });
    expect(batchInputs(openai.embeddingRequests())).toEqual([]);
    expect(openai.embeddingRequests()).toHaveLength(1);
  });

  it('is refused by a server that only has the local embedder', async () => {
    const { corpusDir, indexDir } = await bigCorpus();
    await runIngest({ config: openAIConfig(corpusDir, indexDir) });
    await expect(loadCurrentGeneration(indexDir, localOnlyQueryEmbedder)).rejects.toThrow(IndexVerificationError);
  });

  it('backs off and retries a 429 with Retry-After, then succeeds', { timeout: 15_000 }, async () => {
    const { corpusDir, indexDir } = await bigCorpus();
    let refused = 0;
    openai.on<EmbeddingsRequestBody>('/embeddings', ({ body }) => {
      // Refuse the first batch request once; everything else goes to the built-in handler.
      if (refused > 0 || !Array.isArray(body.input)) return undefined;
      refused++;
      return rateLimited(
        { 'retry-after': '0' },
        { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' },
      );
    });
    const started = Date.now();
    const summary = await runIngest({ config: openAIConfig(corpusDir, indexDir) });
    expect(refused).toBe(1);
    expect(summary.embedded).toBe(summary.chunks);
    // LangChain's exponential backoff waits about a second before the retry.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const sent = batchInputs(openai.embeddingRequests());
    expect(new Set(sent).size).toBe(summary.chunks);
    expect(sent.length).toBeGreaterThan(summary.chunks); // the refused batch was sent twice
    expect((await loadCurrentGeneration(indexDir, fakeModelQueries))!.generation).toBe(summary.generation);
  });

  it('fails at once on a quota 429, leaving the current generation untouched', async () => {
    const { corpusDir, indexDir } = await bigCorpus();
    const config = openAIConfig(corpusDir, indexDir);
    await runIngest({ config });
    const before = await snapshotDir(indexDir, servedIndexFiles);
    await writeFile(join(corpusDir, 'many.md'), '# Changed\n\nA different corpus that needs embedding.\n');
    openai.clearRequests();
    openai.on('/embeddings', ({ body }) =>
      Array.isArray((body as EmbeddingsRequestBody).input)
        ? rateLimited(
            {},
            { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' },
          )
        : undefined,
    );
    await expect(runIngest({ config })).rejects.toThrow(/429/);
    expect(batchInputs(openai.embeddingRequests())).toHaveLength(1);
    expect(await snapshotDir(indexDir, servedIndexFiles)).toEqual(before);
  });

  it('rejects vectors whose size differs from the probe with a one-line IngestError', async () => {
    const { corpusDir, indexDir } = await bigCorpus();
    openai.on<EmbeddingsRequestBody>('/embeddings', ({ body }) => {
      if (!Array.isArray(body.input)) return undefined;
      return embeddingsResponse(body, () => [0.1, 0.2, 0.3]);
    });
    const error = await runIngest({ config: openAIConfig(corpusDir, indexDir) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as Error).message).toBe(`embedder returned 3 dimensions, expected ${DIMS}`);
    expect(await loadCurrentGeneration(indexDir, fakeModelQueries)).toBeNull();
  });

  it('refuses empty vectors instead of publishing an index the server cannot load', async () => {
    const { corpusDir, indexDir } = await bigCorpus();
    openai.on<EmbeddingsRequestBody>('/embeddings', ({ body }) => embeddingsResponse(body, () => []));
    const error = await runIngest({ config: openAIConfig(corpusDir, indexDir) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as Error).message).toMatch(/empty vector/);
    expect(await loadCurrentGeneration(indexDir, fakeModelQueries)).toBeNull();
  });
});
