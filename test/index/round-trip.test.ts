import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { embeddingText } from '../../src/corpus/embedding-text.ts';
import { LOCAL_EMBEDDER_ID } from '../../src/embeddings/local-embeddings.ts';
import { searchLexical } from '../../src/index/lexical-index.ts';
import { loadCurrentGeneration, loadGeneration, localOnlyQueryEmbedder } from '../../src/index/load-generation.ts';
import { GENERATION_FILES, INDEX_FORMAT_VERSION } from '../../src/index/manifest.ts';
import { generationDir, POINTER_FILE } from '../../src/index/write-generation.ts';
import { runIngest } from '../../src/ingest/run-ingest.ts';
import { fixtureCorpusDir, realCorpusDir, useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-index-');

async function ingest(corpusDir: string) {
  const indexDir = await tempDir();
  const summary = await runIngest({
    config: loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, EMBEDDINGS: 'local' }),
  });
  return { indexDir, summary };
}

describe('index generation round trip (runIngest → hnswlib files → loadCurrentGeneration)', () => {
  it('returns null when no index has been built', async () => {
    expect(await loadCurrentGeneration(await tempDir(), localOnlyQueryEmbedder)).toBeNull();
  });

  it('writes a real generation on disk and loads exactly what was ingested', async () => {
    const { indexDir, summary } = await ingest(fixtureCorpusDir);
    expect(summary).toMatchObject({ documents: 2, sections: 14, embedded: summary.chunks, reused: 0, removed: 0 });

    expect((await readFile(join(indexDir, POINTER_FILE), 'utf8')).trim()).toBe(summary.generation);
    const dir = generationDir(indexDir, summary.generation);
    for (const name of Object.values(GENERATION_FILES)) expect((await stat(join(dir, name))).size).toBeGreaterThan(0);

    const index = (await loadCurrentGeneration(indexDir, localOnlyQueryEmbedder))!;
    expect(index.generation).toBe(summary.generation);
    expect(index.manifest).toMatchObject({
      formatVersion: INDEX_FORMAT_VERSION,
      embedder: { id: LOCAL_EMBEDDER_ID, model: null, dims: 384 },
      counts: { documents: 2, sections: 14, chunks: summary.chunks },
      hnsw: { space: 'cosine' },
    });
    expect(Object.keys(index.manifest.corpus.files)).toEqual(['alpha.md', 'beta.md']);
    expect([...index.documents.keys()]).toEqual(['alpha', 'beta']);
    expect(index.documents.get('alpha')).toMatchObject({
      title: 'Alpha Field Guide',
      sourceUrl: 'https://example.com/guides/alpha',
    });
    expect(index.documents.get('alpha')).not.toHaveProperty('fileName');
    expect(index.chunks).toHaveLength(summary.chunks);
    expect(index.vectors.size).toBe(summary.chunks);
    expect(index.queryEmbedder).toBe(index.localEmbedder);
  });

  it('finds each chunk first when searching its own text, through the reloaded hnswlib index', async () => {
    for (const corpus of [fixtureCorpusDir, realCorpusDir]) {
      const { indexDir } = await ingest(corpus);
      const index = (await loadCurrentGeneration(indexDir, localOnlyQueryEmbedder))!;
      for (const [position, chunk] of index.chunks.entries()) {
        // The exact stored vector: found first with cosine similarity 1.
        const exact = index.vectors.search(index.localEmbedder.embedPassage(embeddingText(chunk)), 3);
        expect(exact[0]!.position).toBe(position);
        expect(exact[0]!.score).toBeCloseTo(1, 4);
        expect(exact[1]!.score).toBeLessThan(exact[0]!.score);
        // The passage text asked as a question, through the query embedder the index names.
        const asQuery = index.vectors.search(await index.queryEmbedder.embedQuery(chunk.text), 1);
        expect(asQuery[0]!.position, `${chunk.id} by vector`).toBe(position);
        // And the lexical index, reloaded from JSON, agrees.
        expect(searchLexical(index.lexical, chunk.text, 1)[0]!.position, `${chunk.id} by BM25`).toBe(position);
      }
    }
  });

  it('loads the same generation twice to the same content', async () => {
    const { indexDir, summary } = await ingest(fixtureCorpusDir);
    const a = await loadGeneration(indexDir, summary.generation, localOnlyQueryEmbedder);
    const b = await loadGeneration(indexDir, summary.generation, localOnlyQueryEmbedder);
    expect(b.chunks).toEqual(a.chunks);
    const q = await a.queryEmbedder.embedQuery('when should I inspect the hive?');
    expect(b.vectors.search(q, 5)).toEqual(a.vectors.search(q, 5));
    expect(a.vectors.search(q, 5)).toHaveLength(5);
  });
});
