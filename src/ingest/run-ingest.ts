import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config.ts';
import { chunkSection } from '../corpus/chunk-sections.ts';
import { embeddingText, lexicalHeading } from '../corpus/embedding-text.ts';
import { loadAssistantConfig } from '../corpus/assistant-config.ts';
import { resolveAssistantIdentity } from '../corpus/assistant-identity.ts';
import { configFileHashes } from '../corpus/corpus-fingerprint.ts';
import { loadCorpus } from '../corpus/load-corpus.ts';
import { loadSynonyms } from '../corpus/load-synonyms.ts';
import { splitSections } from '../corpus/split-sections.ts';
import type { Chunk, Section, SourceDocument } from '../corpus/types.ts';
import {
  DEFAULT_DIMS,
  DocumentFrequencyCounter,
  FeatureExtractor,
  LOCAL_EMBEDDER_ID,
  projectFeatures,
} from '../embeddings/local-embeddings.ts';
import { buildQualifierWords, buildRelatedWords, RELATED_WORDS_VERSION } from '../embeddings/related-words.ts';
import { EmbeddingCache } from '../index/embedding-cache.ts';
import { replaceFileAtomically } from '../index/fs-atomic.ts';
import { words } from '../text/analyze.ts';
import { HnswBuild } from '../index/hnsw-build.ts';
import { HNSW_DEFAULTS } from '../index/hnsw-searcher.ts';
import { lexicalIndexJson } from '../index/lexical-build.ts';
import { readManifest } from '../index/load-generation.ts';
import type { EmbedderInfo, Manifest } from '../index/manifest.ts';
import { generationDir, readCurrentGeneration, writeGeneration, type WriteHooks } from '../index/write-generation.ts';
import { normalizeInPlace } from '../vector.ts';

export interface IngestSummary {
  documents: number;
  sections: number;
  chunks: number;
  embedded: number;
  reused: number;
  removed: number;
  generation: string;
  ms: number;
}

/** The summary, and whether the corpus was unchanged (then `generation` is the one already current and nothing was written). */
export type IngestResult = IngestSummary & { upToDate: boolean };

export interface IngestOptions {
  config: Pick<
    Config,
    | 'CORPUS_DIR'
    | 'INDEX_DIR'
    | 'EMBEDDINGS'
    | 'EMBEDDINGS_MODEL'
    | 'OPENAI_API_KEY'
    | 'OPENAI_BASE_URL'
    | 'REQUEST_TIMEOUT_MS'
  > &
    Partial<Config>;
  /** Progress of the embedding step, for a progress bar. */
  onProgress?(done: number, total: number): void;
  /** Documents already loaded (benchmarks); otherwise read from CORPUS_DIR. */
  documents?: SourceDocument[];
  writeHooks?: WriteHooks;
  dims?: number;
  /** HNSW graph parameters (benchmarks); HNSW_DEFAULTS otherwise. */
  hnsw?: { m: number; efConstruction: number; efSearch: number };
  /** Called once per corpus file that is skipped ("skipped photo.png: not .md, .html or .txt"). */
  onWarning?(message: string): void;
  /** Write a new generation even when the corpus and the settings are those of the current one. */
  force?: boolean;
}

const EMBED_BATCH = 256;
/** From this many chunks the lexical index is built on a worker thread (see lexicalIndexJson). */
const LEXICAL_WORKER_MIN_CHUNKS = 10_000;
/** From this many chunks the HNSW index is built on a worker thread (starting one costs more than a small build). */
const HNSW_WORKER_MIN_CHUNKS = 2_000;
/** Rows handed to the HNSW worker at a time. */
const ANNOUNCE_ROWS = 2048;

/**
 * Read the corpus, chunk it, embed what the cache does not hold, and publish a new index
 * generation atomically. Throws CorpusError / IngestError with a one-line message; on any
 * failure the generation being served is untouched.
 *
 * A large corpus's lexical index is built first, on a worker thread (its peak memory is the
 * ingest's largest, and must not add to the vector index's). Then one pass over the chunks
 * extracts each passage's features once, for both the IDF table and (local embedder) its
 * vector, which goes straight into the matrix an HNSW worker thread builds the vector index
 * from while this thread finds related words and writes the other files.
 */
export async function runIngest(options: IngestOptions): Promise<IngestResult> {
  const started = performance.now();
  const { config } = options;
  const documents = options.documents ?? (await loadCorpus(config.CORPUS_DIR, { onWarning: options.onWarning }));
  const assistantConfig = await loadAssistantConfig(config.CORPUS_DIR);
  const synonyms = await loadSynonyms(config.CORPUS_DIR);
  const corpus = corpusFingerprint([...documents, ...(await configFileHashes(config.CORPUS_DIR))]);
  const localDims = options.dims ?? DEFAULT_DIMS;
  const hnsw = options.hnsw ?? HNSW_DEFAULTS;
  if (!options.force) {
    const current = await currentManifestIfSame(config, corpus.hash, localDims, hnsw);
    if (current) {
      const { documents: documentCount, sections, chunks: chunkCount } = current.counts;
      const ms = Math.round(performance.now() - started);
      return {
        documents: documentCount,
        sections,
        chunks: chunkCount,
        embedded: 0,
        reused: chunkCount,
        removed: 0,
        generation: current.generation,
        ms,
        upToDate: true,
      };
    }
  }

  const chunks: Chunk[] = [];
  const sections: Section[] = [];
  for (const document of documents) {
    for (const section of splitSections(document)) {
      sections.push(section);
      for (const chunk of chunkSection(section)) chunks.push(chunk);
    }
  }
  const sectionCount = sections.length;
  const identity = resolveAssistantIdentity(assistantConfig, documents, sections);

  await mkdir(config.INDEX_DIR, { recursive: true });
  // Everything this run writes into INDEX_DIR (caches included) happens under the lock.
  const releaseLock = await acquireLock(config.INDEX_DIR);
  let build: HnswBuild | null = null;
  try {
    const isLocal = config.EMBEDDINGS === 'local';
    const { embedder, key, model } = isLocal
      ? { embedder: null, key: `${LOCAL_EMBEDDER_ID}:${localDims}`, model: null }
      : await openAIEmbedder(config as Config);

    // Vectors by content hash: from the cache, or embedded now.
    const dims = embedder ? await probeDims(embedder) : localDims;
    // An empty vector would publish a generation whose manifest the server refuses (dims must be > 0).
    if (dims < 1)
      throw new IngestError('embedder returned an empty vector; check EMBEDDINGS_MODEL and OPENAI_BASE_URL');
    // The lexical index first, on its own: building it makes the ingest's largest heap (garbage
    // included), and a large one is built on a worker thread whose heap goes when it ends, so
    // that this peak and the vector index's memory (the matrix and the graph) never add up.
    const lexicalJson = await lexicalIndexJson(
      chunks.map((chunk, id) => ({ id, heading: lexicalHeading(chunk), text: chunk.text })),
      chunks.length >= LEXICAL_WORKER_MIN_CHUNKS,
    );
    // The cache after it, for the same reason (its vectors are 150 MB at 100,000 passages).
    const cache = await EmbeddingCache.open(config.INDEX_DIR, key, dims);
    const toEmbed: number[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < chunks.length; i++) {
      const hash = chunks[i]!.hash;
      if (seen.has(hash)) continue;
      seen.add(hash);
      if (!cache.has(hash)) toEmbed.push(i);
    }
    seen.clear();

    build = new HnswBuild(dims, chunks.length, { ...hnsw, inWorker: chunks.length >= HNSW_WORKER_MIN_CHUNKS });
    /** The first row holding each distinct passage's vector. */
    const rowByHash = new Map<string, number>();
    const extractor = new FeatureExtractor();
    const frequencies = new DocumentFrequencyCounter();
    let embedded = 0;
    options.onProgress?.(0, toEmbed.length);
    for (let i = 0; i < chunks.length; i++) {
      extractor.extract(embeddingText(chunks[i]!));
      frequencies.addPassage(extractor);
      if (!isLocal) continue;
      // Rows before this one are final: the HNSW worker may take them.
      if (i % ANNOUNCE_ROWS === 0) build.announce(i);
      const hash = chunks[i]!.hash;
      if (copyRepeatedPassage(build, rowByHash, i, hash)) continue;
      const cached = cache.get(hash);
      if (cached) {
        build.setRow(i, cached);
        continue;
      }
      projectFeatures(extractor, dims, undefined, build.row(i));
      embedded++;
      if (embedded % EMBED_BATCH === 0 || embedded === toEmbed.length) options.onProgress?.(embedded, toEmbed.length);
    }
    if (embedder) embedded = await embedRemote(embedder, chunks, toEmbed, cache, build, rowByHash, options.onProgress);
    build.announce(chunks.length);
    // Every vector is in the matrix now: the cache's copies can go.
    let removed = 0;
    for (const hash of cache.hashes()) if (!rowByHash.has(hash)) removed++;
    cache.release();

    const localParams = frequencies.params(localDims);
    localParams.related = await relatedWordsCached(config.INDEX_DIR, relatedWordsVocabulary(extractor, chunks));
    localParams.qualifiers = await qualifierWordsCached(config.INDEX_DIR);

    const reused = chunks.length - embedded;

    const info: EmbedderInfo = { id: isLocal ? LOCAL_EMBEDDER_ID : 'openai', model, dims };
    const generation = await writeGeneration(
      config.INDEX_DIR,
      {
        documents: documents.map(({ fileName: _fileName, ...doc }) => doc),
        chunks,
        lexicalJson,
        localEmbedder: localParams,
        assistant: { identity, synonyms: synonyms.rules },
        vectors: build,
        manifest: {
          embedder: info,
          hnsw: { space: 'cosine', ...hnsw },
          counts: { documents: documents.length, sections: sectionCount, chunks: chunks.length },
          corpus,
        },
      },
      options.writeHooks,
    );
    const vectors = build;
    // Nothing embedded and nothing dropped: the cache on disk already holds exactly these vectors.
    if (embedded > 0 || removed > 0)
      await cache.save(new Map([...rowByHash].map(([hash, row]) => [hash, vectors.row(row)])));
    return {
      documents: documents.length,
      sections: sectionCount,
      chunks: chunks.length,
      embedded,
      reused,
      removed,
      generation,
      ms: Math.round(performance.now() - started),
      upToDate: false,
    };
  } finally {
    await build?.close();
    await releaseLock();
  }
}

/**
 * Embed the passages the cache lacks with a remote embedder, in batches, and fill every row
 * of the matrix (cached, new, or a repeat of an earlier passage). Returns how many were embedded.
 */
async function embedRemote(
  embedder: Embeddings,
  chunks: Chunk[],
  toEmbed: number[],
  cache: EmbeddingCache,
  build: HnswBuild,
  rowByHash: Map<string, number>,
  onProgress: IngestOptions['onProgress'],
): Promise<number> {
  const fresh = new Map<string, Float32Array>();
  let embedded = 0;
  for (let offset = 0; offset < toEmbed.length; offset += EMBED_BATCH) {
    const batch = toEmbed.slice(offset, offset + EMBED_BATCH);
    const vectors = (await embedder.embedDocuments(batch.map((i) => embeddingText(chunks[i]!)))).map(toUnitVector);
    batch.forEach((i, j) => {
      if (vectors[j]!.length !== build.dims)
        throw new IngestError(`embedder returned ${vectors[j]!.length} dimensions, expected ${build.dims}`);
      fresh.set(chunks[i]!.hash, vectors[j]!);
    });
    embedded += batch.length;
    onProgress?.(embedded, toEmbed.length);
  }
  for (let i = 0; i < chunks.length; i++) {
    const hash = chunks[i]!.hash;
    if (!copyRepeatedPassage(build, rowByHash, i, hash)) build.setRow(i, fresh.get(hash) ?? cache.get(hash)!);
  }
  return embedded;
}

/**
 * A passage met at an earlier row gets that row's vector copied into `row` (true: nothing
 * to embed); otherwise `row` becomes the first row of the passage (false: fill it).
 */
function copyRepeatedPassage(build: HnswBuild, rowByHash: Map<string, number>, row: number, hash: string): boolean {
  const first = rowByHash.get(hash);
  if (first !== undefined) {
    build.copyRow(row, first);
    return true;
  }
  rowByHash.set(hash, row);
  return false;
}

/**
 * The words WordNet is asked about (related-words.ts): every content word the extractor met
 * in the embedded texts (which hold the headings below the title), plus the document titles.
 * Words, not stems (unlike the lexical index's corpusVocabulary).
 */
function relatedWordsVocabulary(extractor: FeatureExtractor, chunks: Chunk[]): Set<string> {
  const vocabulary = new Set<string>(extractor.vocabulary());
  let title: string | undefined;
  for (const chunk of chunks) {
    if (chunk.headingPath[0] === title) continue;
    title = chunk.headingPath[0];
    for (const word of words(title ?? '')) vocabulary.add(word);
  }
  return vocabulary;
}

export class IngestError extends Error {
  override name = 'IngestError';
}

/**
 * The current generation's manifest when a new one would hold the same: the same corpus files
 * (documents, assistant.yaml, synonyms.txt), embedder, dimensions and graph parameters (the
 * format and text analysis are checked by readManifest). Null otherwise, or when there is none.
 */
async function currentManifestIfSame(
  config: IngestOptions['config'],
  corpusHash: string,
  localDims: number,
  hnsw: { m: number; efConstruction: number; efSearch: number },
): Promise<Manifest | null> {
  const generation = await readCurrentGeneration(config.INDEX_DIR);
  if (!generation) return null;
  const manifest = await readManifest(generationDir(config.INDEX_DIR, generation), generation).catch(() => null);
  if (!manifest || manifest.corpus.hash !== corpusHash) return null;
  const { embedder } = manifest;
  const sameEmbedder =
    config.EMBEDDINGS === 'local'
      ? embedder.id === LOCAL_EMBEDDER_ID && embedder.dims === localDims
      : embedder.id === 'openai' && embedder.model === config.EMBEDDINGS_MODEL;
  const sameGraph =
    manifest.hnsw.m === hnsw.m &&
    manifest.hnsw.efConstruction === hnsw.efConstruction &&
    manifest.hnsw.efSearch === hnsw.efSearch;
  return sameEmbedder && sameGraph ? manifest : null;
}

/** sha256 per corpus file and over all of them: lets `npm start` tell whether to re-index. */
export function corpusFingerprint(documents: Array<Pick<SourceDocument, 'fileName' | 'sha256'>>): {
  hash: string;
  files: Record<string, string>;
} {
  const files = Object.fromEntries(documents.map((d) => [d.fileName, d.sha256]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
  return { hash: createHash('sha256').update(JSON.stringify(files)).digest('hex'), files };
}

/**
 * Loaded only when configured: @langchain/openai is by far the largest import of the ingest
 * CLI (about 1.5 s of CPU at start-up), and a local ingest never uses it.
 */
async function openAIEmbedder(config: Config): Promise<{ embedder: Embeddings; key: string; model: string }> {
  const { createOpenAIEmbeddings, openAIEmbedderKey } = await import('../embeddings/openai-embeddings.ts');
  return {
    embedder: createOpenAIEmbeddings(config) as Embeddings,
    key: openAIEmbedderKey(config),
    model: config.EMBEDDINGS_MODEL,
  };
}

async function probeDims(embedder: Embeddings): Promise<number> {
  return (await embedder.embedQuery('dimensions')).length;
}

function toUnitVector(values: number[]): Float32Array {
  return normalizeInPlace(Float32Array.from(values));
}

/**
 * The WordNet related-words table depends only on the corpus vocabulary, so it is cached by
 * a hash of that vocabulary: an edit that adds no new word does not look anything up again.
 */
function relatedWordsCached(indexDir: string, vocabulary: Set<string>): Promise<Record<string, string[]>> {
  const sorted = [...vocabulary].sort();
  const key = createHash('sha256')
    .update(`${RELATED_WORDS_VERSION}\n${sorted.join('\n')}`)
    .digest('hex')
    .slice(0, 16);
  return cachedTable(indexDir, `related-${key}.json`, () => buildRelatedWords(sorted));
}

/** The qualifier words (related-words.ts) are the same for every corpus: worked out once per index folder. */
function qualifierWordsCached(indexDir: string): Promise<string[]> {
  return cachedTable(indexDir, `qualifiers-v${RELATED_WORDS_VERSION}.json`, buildQualifierWords);
}

/** A table read from the index folder's cache, or built and saved there when it is not (or cannot be read). */
async function cachedTable<T>(indexDir: string, name: string, build: () => T): Promise<T> {
  const path = join(indexDir, 'cache', name);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    const table = build();
    await mkdir(join(indexDir, 'cache'), { recursive: true });
    await replaceFileAtomically(path, JSON.stringify(table));
    return table;
  }
}

/** One ingest at a time per index folder; a lock left by a dead process is taken over. */
async function acquireLock(indexDir: string): Promise<() => Promise<void>> {
  const path = join(indexDir, '.ingest.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(await readFile(path, 'utf8').catch(() => ''));
      if (pid && isAlive(pid)) throw new IngestError(`${path}: another ingest (pid ${pid}) is running`);
      await rm(path, { force: true });
    }
  }
  throw new IngestError(`${path}: could not take the ingest lock`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
