/**
 * npm run bench:ingest [-- --json] [-- --runs 5 --documents 1000 --sections 100 --queries 1000]
 *
 * Ingestion benchmark. Three measurements, each printed next to its target:
 *
 * 1. `scripts/ingest.ts --json` on the real corpus (CORPUS_DIR=corpus) as a whole process,
 *    wall time from spawn to exit, into an empty temporary INDEX_DIR (fresh) and again into
 *    the same folder (warm: every vector comes from the embedding cache).
 * 2. A generated corpus (1,000 documents x 100 sections = 100,000 chunks by default) ingested
 *    end to end with the local embedder by runIngest({ documents, config }) in a child
 *    process, so that its peak RSS (VmHWM) is its own: chunks per second and peak RSS.
 * 3. hnswlib search over those vectors as published (vectors.hnsw, efSearch from the
 *    manifest): per-query latency of HnswSearcher.search, and recall@10 against an exact
 *    cosine scan (ExactVectorSearcher) for held-out generated questions embedded with the
 *    query embedder (IDF-weighted), plus perturbed passage vectors as a second query set.
 *
 * A benchmark, not a test: it always exits 0 unless it could not run at all. With --json the
 * report is printed to stdout as JSON (progress goes to stderr either way).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Chunk, SourceDocument } from '../src/corpus/types.ts';

const SCRIPT = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(SCRIPT), '..');

const TARGETS = {
  realIngestWallMs: 1500,
  chunksPerSecond: 5000,
  peakRssBytes: 1024 ** 3,
  searchP50Ms: 1,
  recallAt10: 0.95,
} as const;

interface Options {
  json: boolean;
  runs: number;
  documents: number;
  sections: number;
  queries: number;
  skipReal: boolean;
  skipLarge: boolean;
}

function parseOptions(argv: string[]): Options {
  const number = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} expects a positive integer`);
    return value;
  };
  return {
    json: argv.includes('--json'),
    runs: number('runs', 5),
    documents: number('documents', 1000),
    sections: number('sections', 100),
    queries: number('queries', 1000),
    skipReal: argv.includes('--skip-real'),
    skipLarge: argv.includes('--skip-large'),
  };
}

const log = (message: string) => process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------------------------------------
// Statistics

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: p99 of 1,000 samples is the 990th value.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const median = (values: number[]) => quantile(values, 0.5);
const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------
// Generated corpus: deterministic, Zipf-distributed words with topical structure

/** mulberry32: small, fast, seeded. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Frequent English words first (function words included: they are the head of a Zipf curve). */
const COMMON_WORDS = `the of and to a in is it you that for on with as are this be or your by from at have
an not can will more if about we product they their what how team which when one all was has new there so
but our make work also time people like just do need other into these use manager data customer company
role may should first most help user market skills would some its than who experience them business
process way any each only build good where then over such design research feature problem goal plan
strategy value roadmap growth metric launch release engineer sprint backlog stakeholder priority insight
interview feedback survey analysis revenue pricing segment channel funnel retention churn onboarding
adoption journey persona hypothesis experiment prototype iteration platform integration api service
system architecture performance quality testing deployment security compliance support documentation
training hiring career mentor leadership communication negotiation alignment decision tradeoff risk
budget forecast quarter objective result outcome impact vision mission culture process framework tool
dashboard report review meeting workshop presentation story epic requirement specification acceptance
criteria estimate velocity capacity dependency milestone deadline schedule scope change request bug
issue incident outage monitoring alert logging scaling cost margin profit contract vendor partner
sales marketing brand campaign content social email mobile web desktop cloud storage network database
query index search recommendation model learning intelligence automation workflow pipeline migration
legacy modern simple complex clear better faster smaller larger early late often rarely always never`
  .split(/\s+/)
  .filter(Boolean);

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'br', 'cl', 'dr', 'fl', 'gr', 'pl', 'pr', 'sh', 'st', 'th', 'tr', 'ch'];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou', 'y'];
const CODAS = ['', '', '', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'st', 'rk', 'ng', 'x'];
const SUFFIXES = ['', '', '', '', 'ing', 'ed', 'er', 'ion', 'ment', 'ness', 'able', 'ity', 'al', 'ize', 's', 'ly'];

export interface CorpusModel {
  vocabulary: string[];
  /** Cumulative Zipf weights over `vocabulary` ranks. */
  cumulative: Float64Array;
  /** Each topic: word indices, most topical first (sampled with its own Zipf curve). */
  topics: Uint32Array[];
  topicCumulative: Float64Array;
}

function zipfCumulative(n: number, exponent: number): Float64Array {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cumulative[r] = total += 1 / (r + 1) ** exponent;
  for (let r = 0; r < n; r++) cumulative[r]! /= total;
  return cumulative;
}

function sampleRank(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A vocabulary of `size` words (common English, then pronounceable made-up words) and topics. */
export function corpusModel(size = 30_000, topicCount = 300, topicSize = Number(process.env.TSZ ?? 200), seed = 7): CorpusModel {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const seen = new Set<string>(COMMON_WORDS);
  const vocabulary = [...seen];
  while (vocabulary.length < size) {
    const syllables = 1 + Math.floor(random() * 3);
    let word = '';
    for (let s = 0; s < syllables; s++) word += pick(ONSETS) + pick(NUCLEI) + (s === syllables - 1 ? pick(CODAS) : '');
    word += pick(SUFFIXES);
    if (word.length < 3 || seen.has(word)) continue;
    seen.add(word);
    vocabulary.push(word);
  }
  // Topic words come from below the head of the curve: frequent words belong to every topic.
  const topics: Uint32Array[] = [];
  for (let t = 0; t < topicCount; t++) {
    const words = new Set<number>();
    while (words.size < topicSize) words.add(60 + Math.floor(random() * (size - 60)));
    topics.push(Uint32Array.from(words));
  }
  return { vocabulary, cumulative: zipfCumulative(size, 1.05), topics, topicCumulative: zipfCumulative(topicSize, 0.8) };
}

const TOPICAL_SHARE = Number(process.env.TS ?? 0.3);

export class TextGenerator {
  private readonly random: () => number;

  constructor(
    private readonly model: CorpusModel,
    seed: number,
  ) {
    this.random = rng(seed);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  topic(): number {
    return Math.floor(this.random() * this.model.topics.length);
  }

  word(topic: number): string {
    const { model } = this;
    if (this.random() < TOPICAL_SHARE) {
      const words = model.topics[topic]!;
      return model.vocabulary[words[sampleRank(model.topicCumulative, this.random())]!]!;
    }
    return model.vocabulary[sampleRank(model.cumulative, this.random())]!;
  }

  words(topic: number, count: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(this.word(topic));
    return out;
  }

  /**
   * A paragraph of `count` words in sentences of 6 to 16 words, with the odd comma, cut short
   * at `maxChars` so that it is exactly one chunk (the chunker's maxChars is 700).
   */
  paragraph(topic: number, count: number, maxChars = 680): string {
    let paragraph = '';
    let left = count;
    while (left > 0) {
      const length = Math.min(left, this.int(6, 16));
      left -= length;
      const words = this.words(topic, length);
      if (length > 8 && this.random() < 0.4) words[this.int(2, length - 3)] += ',';
      while (words.length > 1 && paragraph.length + words.join(' ').length + 2 > maxChars) words.pop();
      const sentence = words.join(' ');
      if (paragraph.length + sentence.length + 2 > maxChars) break;
      paragraph += `${paragraph ? ' ' : ''}${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`;
    }
    return paragraph;
  }

  heading(topic: number): string {
    return this.words(topic, this.int(2, 5))
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(' ');
  }

  /** A question as a user would type it, about one topic. */
  question(topic: number): string {
    const openers = ['How do I', 'What is the best way to', 'Why should we', 'When does a', 'Which'];
    return `${openers[this.int(0, openers.length - 1)]} ${this.words(topic, this.int(4, 10)).join(' ')}?`;
  }
}

/** `count` Markdown documents of `sections` sections, one paragraph (40-80 words) each. */
export function generateDocuments(model: CorpusModel, count: number, sections: number, seed = 1): SourceDocument[] {
  const generator = new TextGenerator(model, seed);
  const documents: SourceDocument[] = [];
  for (let d = 0; d < count; d++) {
    const mainTopic = generator.topic();
    const title = `${generator.heading(mainTopic)} ${d + 1}`;
    const parts = [`# ${title}`, ''];
    for (let s = 0; s < sections; s++) {
      // Most sections stay on the document's topic; some wander.
      const topic = generator.int(0, 9) < 7 ? mainTopic : generator.topic();
      parts.push(`## ${generator.heading(topic)}`, '', generator.paragraph(topic, generator.int(40, 80)), '');
    }
    const markdown = parts.join('\n');
    const id = `generated-${String(d + 1).padStart(5, '0')}`;
    documents.push({
      id,
      fileName: `${id}.md`,
      title,
      sourceUrl: null,
      author: null,
      published: null,
      updated: null,
      markdown,
      sha256: createHash('sha256').update(markdown).digest('hex'),
    });
  }
  return documents;
}

// ---------------------------------------------------------------------------------------------
// Child processes

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

function runProcess(args: string[], env: Record<string, string>): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr, wallMs: performance.now() - started }));
  });
}

const lastJsonLine = (text: string) => JSON.parse(text.trim().split('\n').at(-1)!) as Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// 1. The real article, whole process

interface RealIngestReport {
  runs: number;
  chunks: number;
  fresh: { wallMs: number[]; medianMs: number; maxMs: number; inProcessMedianMs: number };
  warm: { wallMs: number[]; medianMs: number; maxMs: number; inProcessMedianMs: number; reused: number };
}

async function benchRealIngest(runs: number): Promise<RealIngestReport> {
  const args = ['--import', 'tsx', join(ROOT, 'scripts', 'ingest.ts'), '--json'];
  const fresh: number[] = [];
  const warm: number[] = [];
  const freshMs: number[] = [];
  const warmMs: number[] = [];
  let chunks = 0;
  let reused = 0;
  // One untimed run first, so that tsx's transform cache and the OS page cache are warm for all.
  const scratch = await mkdtemp(join(tmpdir(), 'bench-ingest-real-'));
  await runProcess(args, { INDEX_DIR: scratch, CORPUS_DIR: 'corpus', EMBEDDINGS: 'local' });
  await rm(scratch, { recursive: true, force: true });

  for (let run = 0; run < runs; run++) {
    const indexDir = await mkdtemp(join(tmpdir(), 'bench-ingest-real-'));
    try {
      const env = { INDEX_DIR: indexDir, CORPUS_DIR: 'corpus', EMBEDDINGS: 'local' };
      for (const [kind, walls, inProcess] of [
        ['fresh', fresh, freshMs],
        ['warm', warm, warmMs],
      ] as const) {
        const result = await runProcess(args, env);
        if (result.code !== 0) throw new Error(`ingest (${kind}) exited with ${result.code}: ${result.stderr.trim()}`);
        const summary = lastJsonLine(result.stdout);
        walls.push(result.wallMs);
        inProcess.push(Number(summary.ms));
        chunks = Number(summary.chunks);
        if (kind === 'warm') reused = Number(summary.reused);
        log(`  real ingest run ${run + 1}/${runs} ${kind}: ${result.wallMs.toFixed(0)} ms wall (${summary.ms} ms in runIngest)`);
      }
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
  }
  const stats = (walls: number[], inProcess: number[]) => ({
    wallMs: walls.map((v) => round(v)),
    medianMs: round(median(walls)),
    maxMs: round(Math.max(...walls)),
    inProcessMedianMs: round(median(inProcess)),
  });
  return { runs, chunks, fresh: stats(fresh, freshMs), warm: { ...stats(warm, warmMs), reused } };
}

// ---------------------------------------------------------------------------------------------
// 2. The generated corpus, end to end, in a child process

interface LargeIngestReport {
  documents: number;
  sections: number;
  chunks: number;
  embedded: number;
  generateMs: number;
  ingestMs: number;
  chunksPerSecond: number;
  /** Where runIngest's time went, from its progress callback and write hooks. */
  phasesMs: { chunkAndFit: number; embed: number; buildIndexes: number; write: number };
  rssAfterGenerateBytes: number;
  peakRssBytes: number;
  indexBytes: number;
}

/** Runs in the child: generate, ingest, report one JSON line on stdout. */
async function largeIngestChild(indexDir: string, documentCount: number, sections: number): Promise<void> {
  const { runIngest } = await import('../src/ingest/run-ingest.ts');
  let started = performance.now();
  const documents = generateDocuments(corpusModel(), documentCount, sections);
  const generateMs = performance.now() - started;
  const rssAfterGenerateBytes = process.memoryUsage().rss;

  const marks: Record<string, number> = {};
  started = performance.now();
  const summary = await runIngest({
    documents,
    config: { CORPUS_DIR: 'unused', INDEX_DIR: indexDir, EMBEDDINGS: 'local', EMBEDDINGS_MODEL: 'unused', OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, REQUEST_TIMEOUT_MS: 30_000 },
    onProgress(done, total) {
      if (done === 0) marks.embedStart = performance.now();
      if (done === total) marks.embedEnd = performance.now();
    },
    writeHooks: {
      afterFile(name) {
        marks.firstFile ??= performance.now();
        marks[name] = performance.now();
      },
    },
  });
  const ingestMs = performance.now() - started;
  const { hwm, rss } = await procStatus();
  const peakRssBytes = Math.max(hwm, process.resourceUsage().maxRSS * 1024);
  const firstWrite = marks['documents.json'] ?? marks.firstFile!;
  // documents.json is written first: its own write time is counted with the other files'.
  const documentsWrite = firstWrite - (marks.embedEnd ?? firstWrite);
  void documentsWrite;
  const report = {
    summary,
    generateMs,
    ingestMs,
    rssAfterGenerateBytes,
    rssBytes: rss,
    peakRssBytes,
    marks: Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, v - started])),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function procStatus(): Promise<{ hwm: number; rss: number }> {
  try {
    const status = await readFile('/proc/self/status', 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
  } catch {
    return { hwm: 0, rss: process.memoryUsage().rss };
  }
}

async function benchLargeIngest(indexDir: string, documentCount: number, sections: number): Promise<LargeIngestReport> {
  const result = await runProcess(['--import', 'tsx', SCRIPT, '--child-large-ingest', indexDir, String(documentCount), String(sections)], {});
  if (result.code !== 0) throw new Error(`large ingest child exited with ${result.code}: ${result.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  const report = lastJsonLine(result.stdout) as {
    summary: { documents: number; sections: number; chunks: number; embedded: number };
    generateMs: number;
    ingestMs: number;
    rssAfterGenerateBytes: number;
    peakRssBytes: number;
    marks: Record<string, number>;
  };
  const m = report.marks;
  const embedStart = m.embedStart ?? 0;
  const embedEnd = m.embedEnd ?? embedStart;
  const firstFile = m['documents.json'] ?? embedEnd;
  const { stat, readdir } = await import('node:fs/promises');
  let indexBytes = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else indexBytes += (await stat(path)).size;
    }
  };
  await walk(indexDir);
  return {
    documents: report.summary.documents,
    sections: report.summary.sections,
    chunks: report.summary.chunks,
    embedded: report.summary.embedded,
    generateMs: round(report.generateMs),
    ingestMs: round(report.ingestMs),
    chunksPerSecond: round(report.summary.chunks / (report.ingestMs / 1000)),
    phasesMs: {
      chunkAndFit: round(embedStart),
      embed: round(embedEnd - embedStart),
      // HNSW build, lexical index, and serialising + writing documents.json (written first).
      buildIndexes: round(firstFile - embedEnd),
      write: round(report.ingestMs - firstFile),
    },
    rssAfterGenerateBytes: report.rssAfterGenerateBytes,
    peakRssBytes: report.peakRssBytes,
    indexBytes,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. hnswlib search over the published generation

interface QuerySetReport {
  queries: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  recallAt10: number;
  minRecallAt10: number;
  exactMsPerQuery: number;
}

interface SearchReport {
  vectors: number;
  dims: number;
  hnsw: { m: number; efConstruction: number; efSearch: number };
  loadMs: number;
  questions: QuerySetReport;
  perturbed: QuerySetReport;
}

async function benchSearch(indexDir: string, queryCount: number): Promise<SearchReport> {
  const { HnswSearcher } = await import('../src/index/hnsw-searcher.ts');
  const { ExactVectorSearcher } = await import('../src/index/vector-searcher.ts');
  const { EmbeddingCache } = await import('../src/index/embedding-cache.ts');
  const { LocalEmbeddings, LOCAL_EMBEDDER_ID } = await import('../src/embeddings/local-embeddings.ts');
  const { generationDir, readCurrentGeneration } = await import('../src/index/write-generation.ts');
  const { GENERATION_FILES, manifestSchema } = await import('../src/index/manifest.ts');

  const generation = await readCurrentGeneration(indexDir);
  if (!generation) throw new Error('no generation was published');
  const dir = generationDir(indexDir, generation);
  const manifest = manifestSchema.parse(JSON.parse(await readFile(join(dir, GENERATION_FILES.manifest), 'utf8')));
  const dims = manifest.embedder.dims;

  let started = performance.now();
  const searcher = await HnswSearcher.read(join(dir, GENERATION_FILES.vectors), dims, manifest.hnsw.efSearch);
  const loadMs = performance.now() - started;

  // The exact scan needs the raw vectors, row = chunk position: from the embedding cache.
  const chunks = JSON.parse(await readFile(join(dir, GENERATION_FILES.chunks), 'utf8')) as Chunk[];
  const cache = await EmbeddingCache.open(indexDir, `${LOCAL_EMBEDDER_ID}:${dims}`, dims);
  const matrix = new Float32Array(chunks.length * dims);
  chunks.forEach((chunk, row) => {
    const vector = cache.get(chunk.hash);
    if (!vector) throw new Error(`no cached vector for chunk ${chunk.id}`);
    matrix.set(vector, row * dims);
  });
  const exact = new ExactVectorSearcher(matrix, dims);
  const local = new LocalEmbeddings(JSON.parse(await readFile(join(dir, GENERATION_FILES.localEmbedder), 'utf8')));

  // Held-out questions: same vocabulary and topics, another seed, embedded as queries (IDF).
  const generator = new TextGenerator(corpusModel(), 99);
  const questions = Array.from({ length: queryCount }, () => local.embedQueryVector(generator.question(generator.topic())));

  // Perturbed passages: a stored vector plus Gaussian noise of about the same norm, renormalised.
  const random = rng(1234);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const perturbed = Array.from({ length: queryCount }, () => {
    const row = Math.floor(random() * chunks.length);
    const vector = new Float32Array(dims);
    let norm = 0;
    for (let i = 0; i < dims; i++) {
      vector[i] = matrix[row * dims + i]! + gaussian() / Math.sqrt(dims);
      norm += vector[i]! * vector[i]!;
    }
    for (let i = 0; i < dims; i++) vector[i]! /= Math.sqrt(norm);
    return vector;
  });

  const measure = (name: string, queries: Float32Array[]): QuerySetReport => {
    // Warm-up: page in the graph and let V8 optimise the call path.
    for (let i = 0; i < Math.min(200, queries.length); i++) searcher.search(queries[i]!, 10);
    const latencies: number[] = [];
    const approximate: number[][] = [];
    for (const query of queries) {
      const t0 = process.hrtime.bigint();
      const hits = searcher.search(query, 10);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      approximate.push(hits.map((h) => h.position));
    }
    log(`  ${name}: exact scan of ${queries.length} queries over ${exact.size} vectors...`);
    const recalls: number[] = [];
    const exactStarted = performance.now();
    queries.forEach((query, q) => {
      const truth = new Set(exact.search(query, 10).map((h) => h.position));
      recalls.push(approximate[q]!.filter((p) => truth.has(p)).length / truth.size);
    });
    const exactMs = performance.now() - exactStarted;
    return {
      queries: queries.length,
      p50Ms: round(quantile(latencies, 0.5), 3),
      p90Ms: round(quantile(latencies, 0.9), 3),
      p99Ms: round(quantile(latencies, 0.99), 3),
      maxMs: round(Math.max(...latencies), 3),
      recallAt10: round(recalls.reduce((a, b) => a + b, 0) / recalls.length, 4),
      minRecallAt10: Math.min(...recalls),
      exactMsPerQuery: round(exactMs / queries.length, 1),
    };
  };

  return {
    vectors: searcher.size,
    dims,
    hnsw: { m: manifest.hnsw.m, efConstruction: manifest.hnsw.efConstruction, efSearch: manifest.hnsw.efSearch },
    loadMs: round(loadMs),
    questions: measure('held-out questions', questions),
    perturbed: measure('perturbed passages', perturbed),
  };
}

// ---------------------------------------------------------------------------------------------
// Report

interface Row {
  measure: string;
  value: string;
  target: string;
  pass: boolean | null;
}

const mib = (bytes: number) => `${round(bytes / 1024 ** 2)} MiB`;

function rows(report: { real?: RealIngestReport; large?: LargeIngestReport; search?: SearchReport }): Row[] {
  const out: Row[] = [];
  const { real, large, search } = report;
  if (real) {
    for (const kind of ['fresh', 'warm'] as const) {
      const r = real[kind];
      out.push({ measure: `real article ingest, ${kind}, median wall`, value: `${r.medianMs} ms`, target: `< ${TARGETS.realIngestWallMs} ms`, pass: r.medianMs < TARGETS.realIngestWallMs });
      out.push({ measure: `real article ingest, ${kind}, max wall`, value: `${r.maxMs} ms`, target: `< ${TARGETS.realIngestWallMs} ms`, pass: r.maxMs < TARGETS.realIngestWallMs });
      out.push({ measure: `  of which in runIngest (median)`, value: `${r.inProcessMedianMs} ms`, target: '', pass: null });
    }
  }
  if (large) {
    out.push({ measure: `${large.chunks} generated chunks, throughput`, value: `${large.chunksPerSecond} chunks/s`, target: `>= ${TARGETS.chunksPerSecond} chunks/s`, pass: large.chunksPerSecond >= TARGETS.chunksPerSecond });
    out.push({ measure: `  runIngest total`, value: `${large.ingestMs} ms`, target: '', pass: null });
    const p = large.phasesMs;
    out.push({ measure: `  chunk + fit IDF / embed`, value: `${p.chunkAndFit} / ${p.embed} ms`, target: '', pass: null });
    out.push({ measure: `  build HNSW + lexical / write`, value: `${p.buildIndexes} / ${p.write} ms`, target: '', pass: null });
    out.push({ measure: `${large.chunks} generated chunks, peak RSS`, value: mib(large.peakRssBytes), target: `< ${mib(TARGETS.peakRssBytes)}`, pass: large.peakRssBytes < TARGETS.peakRssBytes });
    out.push({ measure: `  RSS after generating documents`, value: mib(large.rssAfterGenerateBytes), target: '', pass: null });
  }
  if (search) {
    const ef = `efSearch ${search.hnsw.efSearch}`;
    for (const [name, set] of [
      ['questions', search.questions],
      ['perturbed passages', search.perturbed],
    ] as const) {
      out.push({ measure: `hnsw search p50 (${name}, ${ef})`, value: `${set.p50Ms} ms`, target: `< ${TARGETS.searchP50Ms} ms`, pass: set.p50Ms < TARGETS.searchP50Ms });
      out.push({ measure: `hnsw search p99 (${name})`, value: `${set.p99Ms} ms`, target: '', pass: null });
      out.push({ measure: `recall@10 vs exact (${name})`, value: `${set.recallAt10}`, target: `>= ${TARGETS.recallAt10}`, pass: set.recallAt10 >= TARGETS.recallAt10 });
    }
  }
  return out;
}

function printTable(table: Row[]): void {
  const widths = [Math.max(...table.map((r) => r.measure.length)), Math.max(...table.map((r) => r.value.length)), Math.max(6, ...table.map((r) => r.target.length))];
  const line = (cells: string[]) => cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd();
  console.log(line(['measure', 'value', 'target', 'result']));
  console.log(line(widths.map((w) => '-'.repeat(w)).concat('------')));
  for (const r of table) console.log(line([r.measure, r.value, r.target, r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL']));
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const childAt = argv.indexOf('--child-large-ingest');
  if (childAt >= 0) {
    await largeIngestChild(argv[childAt + 1]!, Number(argv[childAt + 2]), Number(argv[childAt + 3]));
    return;
  }

  const options = parseOptions(argv);
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryBytes: totalmem(), platform: process.platform };
  log(`bench:ingest on ${machine.cpus} CPU(s), ${machine.cpuModel}, Node ${machine.node}`);
  const report: { machine: typeof machine; targets: typeof TARGETS; real?: RealIngestReport; large?: LargeIngestReport; search?: SearchReport; errors: string[] } = {
    machine,
    targets: TARGETS,
    errors: [],
  };

  if (!options.skipReal) {
    log(`1. real article: ${options.runs} fresh + ${options.runs} warm runs of scripts/ingest.ts`);
    try {
      report.real = await benchRealIngest(options.runs);
    } catch (error) {
      report.errors.push(`real ingest: ${(error as Error).message}`);
    }
  }

  if (!options.skipLarge) {
    const indexDir = await mkdtemp(join(tmpdir(), 'bench-ingest-large-'));
    try {
      log(`2. generated corpus: ${options.documents} documents x ${options.sections} sections, ingest in a child process`);
      report.large = await benchLargeIngest(indexDir, options.documents, options.sections);
      log(`3. hnsw search: ${options.queries} queries per set`);
      report.search = await benchSearch(indexDir, options.queries);
    } catch (error) {
      report.errors.push(`generated corpus: ${(error as Error).message}`);
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
  }

  if (options.json) {
    console.log(JSON.stringify({ ...report, results: rows(report) }, null, 2));
  } else {
    printTable(rows(report));
    for (const error of report.errors) console.log(`error: ${error}`);
  }
}

if (process.argv[1] === SCRIPT) main().catch((error: unknown) => {
  console.error(`bench:ingest failed: ${(error as Error)?.stack ?? String(error)}`);
  process.exit(1);
});
