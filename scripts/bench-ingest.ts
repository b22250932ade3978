/**
 * npm run bench:ingest [-- --json] [-- --runs 5 --documents 1000 --sections 100 --queries 1000]
 *                      [-- --m 16 --ef-construction 100] (the HNSW graph of the large corpus)
 *                      [-- --skip-real] [-- --skip-large]
 *
 * Ingestion benchmark. Each figure is printed next to its target with PASS/FAIL:
 *
 * 1. `scripts/ingest.ts --json` on the real corpus (CORPUS_DIR=corpus), whole process, wall
 *    time from spawn to exit: into an empty temporary INDEX_DIR (fresh), then again into the
 *    same folder (warm: every vector comes from the embedding cache). Median and max of --runs.
 * 2. A generated corpus (1,000 documents x 100 sections of one paragraph = 100,000 chunks)
 *    ingested end to end with the local embedder by runIngest({ documents, config }) in a
 *    child process, so that the peak RSS (VmHWM) is the ingest's own: chunks/s and peak RSS.
 * 3. hnswlib search over those vectors as published (vectors.hnsw read back, efSearch from
 *    the manifest): latency of HnswSearcher.search per query, and recall@10 against an exact
 *    cosine scan (ExactVectorSearcher) for held-out generated questions embedded with the
 *    query embedder (IDF-weighted), and for perturbed passage vectors.
 *
 * The machine is shared: the load average and CPU time are reported with the wall times, so
 * a slow run can be told from a slow machine. A benchmark, not a test: it exits 0 whatever
 * the figures. With --json the whole report goes to stdout as JSON; progress goes to stderr.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Chunk, SourceDocument } from '../src/corpus/types.ts';
import { statFields, ticksToMs } from './proc-stat.ts';
import { rng } from './rng.ts';

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
  /** HNSW graph parameters of the large corpus's index, 0 for HNSW_DEFAULTS (efSearch is swept in part 3). */
  m: number;
  efConstruction: number;
}

function parseOptions(argv: string[]): Options {
  const integer = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const value = Number(argv[i + 1]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} expects a positive integer`);
    return value;
  };
  return {
    json: argv.includes('--json'),
    runs: integer('runs', 5),
    documents: integer('documents', 1000),
    sections: integer('sections', 100),
    queries: integer('queries', 1000),
    skipReal: argv.includes('--skip-real'),
    skipLarge: argv.includes('--skip-large'),
    m: integer('m', 0),
    efConstruction: integer('ef-construction', 0),
  };
}

const log = (message: string) => process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------------------------------------
// Statistics

/** Nearest-rank quantile: p99 of 1,000 samples is the 990th smallest. */
function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const median = (values: number[]) => quantile(values, 0.5);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;
const load = () => loadavg().map((v) => round(v, 2));

// ---------------------------------------------------------------------------------------------
// Generated corpus: deterministic Zipf-distributed words with topical structure.
//
// Words are drawn from a 30,000-word vocabulary (common English words first, then made-up
// pronounceable ones) along a Zipf curve, mixed with the words of the paragraph's topic. The
// topical share is calibrated so that a generated document looks like the real article to the
// local embedder: the mean cosine of a passage to its nearest neighbour and to the median
// passage of its document are close to the real article's (both are printed). Less topical
// text is harder for HNSW (flatter neighbourhoods), more topical text easier.

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
budget forecast quarter objective result outcome impact vision mission culture framework tool
dashboard report review meeting workshop presentation story epic requirement specification acceptance
criteria estimate velocity capacity dependency milestone deadline schedule scope change request bug
issue incident outage monitoring alert logging scaling cost margin profit contract vendor partner
sales marketing brand campaign content social email mobile web desktop cloud storage network database
query index search recommendation model learning intelligence automation workflow pipeline migration
legacy modern simple complex clear better faster smaller larger early late often rarely always never`
  .split(/\s+/)
  .filter(Boolean);

const ONSETS = [
  'b',
  'c',
  'd',
  'f',
  'g',
  'h',
  'j',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  't',
  'v',
  'w',
  'z',
  'br',
  'cl',
  'dr',
  'fl',
  'gr',
  'pl',
  'pr',
  'sh',
  'st',
  'th',
  'tr',
  'ch',
];
const NUCLEI = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou', 'y'];
const CODAS = ['', '', '', 'n', 'r', 's', 't', 'l', 'm', 'nd', 'st', 'rk', 'ng', 'x'];
const SUFFIXES = ['', '', '', '', 'ing', 'ed', 'er', 'ion', 'ment', 'ness', 'able', 'ity', 'al', 'ize', 's', 'ly'];

const VOCABULARY_SIZE = 30_000;
const ZIPF_EXPONENT = 1.05;
const TOPIC_COUNT = 300;
const TOPIC_SIZE = 80;
/** Share of a paragraph's words drawn from its topic rather than from the whole vocabulary. */
const TOPICAL_SHARE = 0.6;

interface CorpusModel {
  vocabulary: string[];
  /** Cumulative Zipf weights over `vocabulary` ranks. */
  cumulative: Float64Array;
  /** Each topic: word indices, sampled along a flatter Zipf curve of their own. */
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

function corpusModel(seed = 7): CorpusModel {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const seen = new Set<string>(COMMON_WORDS);
  const vocabulary = [...seen];
  while (vocabulary.length < VOCABULARY_SIZE) {
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
  for (let t = 0; t < TOPIC_COUNT; t++) {
    const words = new Set<number>();
    while (words.size < TOPIC_SIZE) words.add(60 + Math.floor(random() * (VOCABULARY_SIZE - 60)));
    topics.push(Uint32Array.from(words));
  }
  return {
    vocabulary,
    cumulative: zipfCumulative(VOCABULARY_SIZE, ZIPF_EXPONENT),
    topics,
    topicCumulative: zipfCumulative(TOPIC_SIZE, 0.8),
  };
}

class TextGenerator {
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
    if (this.random() < TOPICAL_SHARE)
      return model.vocabulary[model.topics[topic]![sampleRank(model.topicCumulative, this.random())]!]!;
    return model.vocabulary[sampleRank(model.cumulative, this.random())]!;
  }

  words(topic: number, count: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(this.word(topic));
    return out;
  }

  /**
   * A paragraph of `count` words in sentences of 6 to 16 words, with the odd comma, cut short
   * at `maxChars` so that it makes exactly one chunk (the chunker's maxChars is 700).
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
function generateDocuments(model: CorpusModel, count: number, sections: number, seed = 1): SourceDocument[] {
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
  /** User + system CPU of the child (Linux, from this process's cutime/cstime); null elsewhere. */
  cpuMs: number | null;
}

/** CPU time of the children this process has waited for, in ms (Linux only). */
async function childrenCpuMs(): Promise<number | null> {
  const fields = await statFields('/proc/self/stat');
  return fields ? ticksToMs(Number(fields[13]) + Number(fields[14])) : null;
}

async function runProcess(args: string[], env: Record<string, string>): Promise<ProcessResult> {
  const cpuBefore = await childrenCpuMs();
  const result = await new Promise<Omit<ProcessResult, 'cpuMs'>>((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr, wallMs: performance.now() - started }));
  });
  const cpuAfter = await childrenCpuMs();
  return { ...result, cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

const lastJsonLine = <T>(text: string): T => JSON.parse(text.trim().split('\n').at(-1)!) as T;

// ---------------------------------------------------------------------------------------------
// 1. The real article, whole process

interface RunStats {
  wallMs: number[];
  medianMs: number;
  maxMs: number;
  /** runIngest's own `ms` (median): the rest of the wall time is process start and imports. */
  inProcessMedianMs: number;
  cpuMedianMs: number | null;
}

interface RealIngestReport {
  runs: number;
  chunks: number;
  fresh: RunStats;
  warm: RunStats & { reused: number };
}

async function benchRealIngest(runs: number): Promise<RealIngestReport> {
  const args = ['--import', 'tsx', join(ROOT, 'scripts', 'ingest.ts'), '--json'];
  const samples = { fresh: [] as ProcessResult[], warm: [] as ProcessResult[] };
  const inProcess = { fresh: [] as number[], warm: [] as number[] };
  let chunks = 0;
  let reused = 0;
  // One untimed run first, so that tsx's transform cache and the page cache are warm for all.
  const scratch = await mkdtemp(join(tmpdir(), 'bench-ingest-real-'));
  await runProcess(args, { INDEX_DIR: scratch, CORPUS_DIR: 'corpus', EMBEDDINGS: 'local' });
  await rm(scratch, { recursive: true, force: true });

  for (let run = 0; run < runs; run++) {
    const indexDir = await mkdtemp(join(tmpdir(), 'bench-ingest-real-'));
    try {
      for (const kind of ['fresh', 'warm'] as const) {
        // Warm: the same corpus again, which only --force ingests (it would be "up to date").
        const runArgs = kind === 'warm' ? [...args, '--force'] : args;
        const result = await runProcess(runArgs, { INDEX_DIR: indexDir, CORPUS_DIR: 'corpus', EMBEDDINGS: 'local' });
        if (result.code !== 0) throw new Error(`ingest (${kind}) exited with ${result.code}: ${result.stderr.trim()}`);
        const summary = lastJsonLine<{ ms: number; chunks: number; reused: number }>(result.stdout);
        samples[kind].push(result);
        inProcess[kind].push(summary.ms);
        chunks = summary.chunks;
        if (kind === 'warm') reused = summary.reused;
        log(
          `  run ${run + 1}/${runs} ${kind}: ${result.wallMs.toFixed(0)} ms wall, ${summary.ms} ms in runIngest, ${result.cpuMs ?? '?'} ms CPU`,
        );
      }
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
  }
  const stats = (kind: 'fresh' | 'warm'): RunStats => {
    const walls = samples[kind].map((r) => r.wallMs);
    const cpu = samples[kind].map((r) => r.cpuMs);
    return {
      wallMs: walls.map((v) => round(v)),
      medianMs: round(median(walls)),
      maxMs: round(Math.max(...walls)),
      inProcessMedianMs: round(median(inProcess[kind])),
      cpuMedianMs: cpu.every((c) => c !== null) ? round(median(cpu as number[])) : null,
    };
  };
  return { runs, chunks, fresh: stats('fresh'), warm: { ...stats('warm'), reused } };
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
  ingestCpuMs: number;
  chunksPerSecond: number;
  /**
   * Where runIngest's time went, from its progress callback and write hooks: everything before
   * the first progress call (parse, chunk, open cache, lexical index on its worker thread);
   * the one pass over the chunks (features, IDF counts, vectors into the matrix the HNSW
   * worker thread builds from); from the last progress call to the first file written
   * (related words, documents.json); and the rest of the writes (chunks, lexical, embedder
   * params, then waiting for the HNSW worker and vectors.hnsw, manifest, fsyncs, embedding
   * cache), of which `waitHnsw` is the time from local-embedder.json to vectors.hnsw.
   */
  phasesMs: { prepare: number; embed: number; buildIndexes: number; write: number; waitHnsw: number };
  rssAfterGenerateBytes: number;
  peakRssBytes: number;
  /** Peak RSS so far at the end of each phase: which phase set the peak. */
  peakRssByPhaseBytes: { prepare: number; embed: number; buildIndexes: number; write: number };
  files: Record<string, number>;
}

interface Mark {
  ms: number;
  peakRssBytes: number;
}

interface ChildReport {
  summary: { documents: number; sections: number; chunks: number; embedded: number };
  generateMs: number;
  ingestMs: number;
  ingestCpuMs: number;
  rssAfterGenerateBytes: number;
  peakRssBytes: number;
  marks: Record<string, Mark>;
}

/** Runs in the child: generate, ingest, write one JSON line (ChildReport) to stdout. */
async function largeIngestChild(
  indexDir: string,
  documentCount: number,
  sections: number,
  m: number,
  efConstruction: number,
): Promise<void> {
  const { runIngest } = await import('../src/ingest/run-ingest.ts');
  const { HNSW_DEFAULTS } = await import('../src/index/hnsw-searcher.ts');
  let started = performance.now();
  const documents = generateDocuments(corpusModel(), documentCount, sections);
  const generateMs = performance.now() - started;
  const rssAfterGenerateBytes = process.memoryUsage().rss;

  const marks: Record<string, Mark> = {};
  const cpuBefore = process.cpuUsage();
  started = performance.now();
  const mark = (): Mark => ({ ms: performance.now() - started, peakRssBytes: peakRss() });
  const summary = await runIngest({
    documents,
    hnsw: { ...HNSW_DEFAULTS, m: m || HNSW_DEFAULTS.m, efConstruction: efConstruction || HNSW_DEFAULTS.efConstruction },
    config: {
      CORPUS_DIR: 'unused',
      INDEX_DIR: indexDir,
      EMBEDDINGS: 'local',
      EMBEDDINGS_MODEL: 'unused',
      OPENAI_API_KEY: undefined,
      OPENAI_BASE_URL: undefined,
      REQUEST_TIMEOUT_MS: 30_000,
    },
    onProgress(done, total) {
      if (done === 0) marks.embedStart = mark();
      if (done === total) marks.embedEnd = mark();
    },
    writeHooks: {
      afterFile(name) {
        marks[name] = mark();
      },
    },
  });
  marks.end = mark();
  const ingestMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const report: ChildReport = {
    summary,
    generateMs,
    ingestMs,
    ingestCpuMs: (cpu.user + cpu.system) / 1000,
    rssAfterGenerateBytes,
    peakRssBytes: Math.max(peakRss(), process.resourceUsage().maxRSS * 1024),
    marks,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

/** VmHWM: the peak resident set size of this process so far (Linux; maxRSS elsewhere). */
function peakRss(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return process.resourceUsage().maxRSS * 1024;
  }
}

async function fileSizes(dir: string, prefix = ''): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, await fileSizes(path, `${prefix}${entry.name}/`));
    else out[`${prefix}${entry.name}`] = (await stat(path)).size;
  }
  return out;
}

async function benchLargeIngest(
  indexDir: string,
  documentCount: number,
  sections: number,
  graphM: number,
  efConstruction: number,
): Promise<LargeIngestReport> {
  const args = [
    '--import',
    'tsx',
    SCRIPT,
    '--child-large-ingest',
    indexDir,
    String(documentCount),
    String(sections),
    String(graphM),
    String(efConstruction),
  ];
  const result = await runProcess(args, {});
  if (result.code !== 0)
    throw new Error(`child exited with ${result.code}: ${result.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  const report = lastJsonLine<ChildReport>(result.stdout);
  const m = report.marks;
  const start: Mark = { ms: 0, peakRssBytes: report.rssAfterGenerateBytes };
  const embedStart = m.embedStart ?? start;
  const embedEnd = m.embedEnd ?? embedStart;
  const firstFile = m['documents.json'] ?? embedEnd;
  const end = m.end ?? { ms: report.ingestMs, peakRssBytes: report.peakRssBytes };
  // Generation folders are named by time: show them as <generation>/ so runs compare.
  const files = Object.fromEntries(
    Object.entries(await fileSizes(indexDir)).map(([name, bytes]) => [
      name.replace(/^generations\/[^/]+\//, 'generations/<generation>/'),
      bytes,
    ]),
  );
  return {
    documents: report.summary.documents,
    sections: report.summary.sections,
    chunks: report.summary.chunks,
    embedded: report.summary.embedded,
    generateMs: round(report.generateMs),
    ingestMs: round(report.ingestMs),
    ingestCpuMs: round(report.ingestCpuMs),
    chunksPerSecond: round(report.summary.chunks / (report.ingestMs / 1000)),
    phasesMs: {
      prepare: round(embedStart.ms),
      embed: round(embedEnd.ms - embedStart.ms),
      buildIndexes: round(firstFile.ms - embedEnd.ms),
      write: round(end.ms - firstFile.ms),
      waitHnsw: round((m['vectors.hnsw']?.ms ?? 0) - (m['local-embedder.json']?.ms ?? 0)),
    },
    rssAfterGenerateBytes: report.rssAfterGenerateBytes,
    peakRssBytes: report.peakRssBytes,
    peakRssByPhaseBytes: {
      prepare: embedStart.peakRssBytes,
      embed: embedEnd.peakRssBytes,
      buildIndexes: firstFile.peakRssBytes,
      write: end.peakRssBytes,
    },
    files,
  };
}

// ---------------------------------------------------------------------------------------------
// Calibration: does a generated document look like the real article to the local embedder?

interface Neighbourhood {
  chunks: number;
  /** Mean cosine of a passage to its nearest other passage of the document. */
  nearest: number;
  /** Mean cosine of a passage to the median passage of the document. */
  median: number;
}

async function calibration(): Promise<{ real: Neighbourhood; generated: Neighbourhood }> {
  const { loadCorpus } = await import('../src/corpus/load-corpus.ts');
  const { splitSections } = await import('../src/corpus/split-sections.ts');
  const { chunkSection } = await import('../src/corpus/chunk-sections.ts');
  const { embeddingText } = await import('../src/corpus/embedding-text.ts');
  const { fitLocalEmbedder, LocalEmbeddings } = await import('../src/embeddings/local-embeddings.ts');
  const neighbourhood = (documents: SourceDocument[]): Neighbourhood => {
    const texts = documents.flatMap(splitSections).flatMap((section) => chunkSection(section).map(embeddingText));
    const local = new LocalEmbeddings(fitLocalEmbedder(texts));
    const vectors = texts.map((text) => local.embedPassage(text));
    const nearest: number[] = [];
    const middle: number[] = [];
    for (const [i, a] of vectors.entries()) {
      const cosines = vectors.filter((_, j) => j !== i).map((b) => a.reduce((sum, x, d) => sum + x * b[d]!, 0));
      nearest.push(Math.max(...cosines));
      middle.push(median(cosines));
    }
    return { chunks: texts.length, nearest: round(mean(nearest), 3), median: round(mean(middle), 3) };
  };
  return {
    real: neighbourhood(await loadCorpus(join(ROOT, 'corpus'))),
    generated: neighbourhood(generateDocuments(corpusModel(), 1, 100, 12345)),
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
  /** Share of queries whose exact nearest passage is among the HNSW top 10. */
  top1In10: number;
  /** Mean over queries of (sum of HNSW top-10 cosines) / (sum of exact top-10 cosines). */
  scoreRatio: number;
  /** Mean cosine of the exact 1st and 10th neighbour: how flat the neighbourhoods are. */
  exactTop1: number;
  exactTop10: number;
  exactMsPerQuery: number;
}

interface SearchReport {
  vectors: number;
  dims: number;
  hnsw: { m: number; efConstruction: number; efSearch: number };
  readMs: number;
  questions: QuerySetReport;
  perturbed: QuerySetReport;
  /** Held-out questions against the same index with other efSearch values. */
  efSearchSweep: Array<{ efSearch: number; p50Ms: number; p99Ms: number; recallAt10: number }>;
}

const EF_SEARCH_SWEEP = [64, 128, 192, 256, 320, 384, 512];

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

  const readStarted = performance.now();
  const searcher = await HnswSearcher.read(join(dir, GENERATION_FILES.vectors), dims, manifest.hnsw.efSearch);
  const readMs = performance.now() - readStarted;

  // The exact scan needs the raw vectors by chunk position: from the embedding cache.
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

  // Held-out questions: the corpus's vocabulary and topics, another seed, embedded as queries.
  const generator = new TextGenerator(corpusModel(), 99);
  const questions = Array.from({ length: queryCount }, () =>
    local.embedQueryVector(generator.question(generator.topic())),
  );

  // Perturbed passages: a stored vector plus Gaussian noise of about its norm (so the query's
  // cosine to its passage is about 0.7), renormalised.
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

  type Hit = { position: number; score: number };
  const exactTop10 = (name: string, queries: Float32Array[]) => {
    log(`  ${name}: exact scan of ${queries.length} queries over ${exact.size} vectors...`);
    const started = performance.now();
    const truth = queries.map((query) => exact.search(query, 10));
    return { truth, msPerQuery: (performance.now() - started) / queries.length };
  };

  const measure = (
    search: { search(query: Float32Array, k: number): Hit[] },
    queries: Float32Array[],
    truth: Hit[][],
  ) => {
    // Warm-up: page the graph in and let V8 optimise the call path.
    for (let i = 0; i < Math.min(200, queries.length); i++) search.search(queries[i]!, 10);
    const latencies: number[] = [];
    const approximate: Hit[][] = [];
    for (const query of queries) {
      const t0 = process.hrtime.bigint();
      const hits = search.search(query, 10);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      approximate.push(hits);
    }
    const sum = (hits: Hit[]) => hits.reduce((total, h) => total + h.score, 0);
    const recalls: number[] = [];
    const top1: number[] = [];
    const ratios: number[] = [];
    truth.forEach((exactHits, q) => {
      const found = new Set(approximate[q]!.map((h) => h.position));
      recalls.push(exactHits.filter((h) => found.has(h.position)).length / exactHits.length);
      top1.push(found.has(exactHits[0]!.position) ? 1 : 0);
      ratios.push(sum(approximate[q]!) / sum(exactHits));
    });
    return {
      p50Ms: round(quantile(latencies, 0.5), 3),
      p90Ms: round(quantile(latencies, 0.9), 3),
      p99Ms: round(quantile(latencies, 0.99), 3),
      maxMs: round(Math.max(...latencies), 3),
      recallAt10: round(mean(recalls), 4),
      top1In10: round(mean(top1), 4),
      scoreRatio: round(mean(ratios), 4),
    };
  };

  const querySet = (name: string, queries: Float32Array[]) => {
    const { truth, msPerQuery } = exactTop10(name, queries);
    const report: QuerySetReport = {
      queries: queries.length,
      ...measure(searcher, queries, truth),
      exactTop1: round(mean(truth.map((hits) => hits[0]!.score)), 3),
      exactTop10: round(mean(truth.map((hits) => hits.at(-1)!.score)), 3),
      exactMsPerQuery: round(msPerQuery, 1),
    };
    log(`  ${name}: p50 ${report.p50Ms} ms, recall@10 ${report.recallAt10}`);
    return { report, truth };
  };

  const questionSet = querySet('held-out questions', questions);
  const perturbedSet = querySet('perturbed passages', perturbed);

  // The same index searched with other efSearch values: the latency / recall trade-off.
  const sweep: SearchReport['efSearchSweep'] = [];
  for (const efSearch of EF_SEARCH_SWEEP) {
    const other = await HnswSearcher.read(join(dir, GENERATION_FILES.vectors), dims, efSearch);
    const { p50Ms, p99Ms, recallAt10 } = measure(other, questions, questionSet.truth);
    sweep.push({ efSearch, p50Ms, p99Ms, recallAt10 });
    log(`  efSearch ${efSearch}: p50 ${p50Ms} ms, recall@10 ${recallAt10} (questions)`);
  }

  return {
    vectors: searcher.size,
    dims,
    hnsw: { m: manifest.hnsw.m, efConstruction: manifest.hnsw.efConstruction, efSearch: manifest.hnsw.efSearch },
    readMs: round(readMs),
    questions: questionSet.report,
    perturbed: perturbedSet.report,
    efSearchSweep: sweep,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

interface Report {
  machine: {
    node: string;
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    loadAverageStart: number[];
    loadAverageEnd?: number[];
  };
  options: Omit<Options, 'json'>;
  targets: typeof TARGETS;
  real?: RealIngestReport;
  large?: LargeIngestReport;
  calibration?: { real: Neighbourhood; generated: Neighbourhood };
  search?: SearchReport;
  errors: string[];
}

interface Row {
  measure: string;
  value: string;
  target: string;
  result: 'PASS' | 'FAIL' | '';
}

const mib = (bytes: number) => `${round(bytes / 1024 ** 2)} MiB`;
const check = (pass: boolean): Row['result'] => (pass ? 'PASS' : 'FAIL');

function rows(report: Report): Row[] {
  const out: Row[] = [];
  const info = (measure: string, value: string) => out.push({ measure, value, target: '', result: '' });
  const { real, large, search, calibration: cal } = report;
  if (real) {
    for (const kind of ['fresh', 'warm'] as const) {
      const r = real[kind];
      out.push({
        measure: `1. real article ingest, ${kind}: median wall`,
        value: `${r.medianMs} ms`,
        target: `< ${TARGETS.realIngestWallMs} ms`,
        result: check(r.medianMs < TARGETS.realIngestWallMs),
      });
      out.push({
        measure: `1. real article ingest, ${kind}: max wall`,
        value: `${r.maxMs} ms`,
        target: `< ${TARGETS.realIngestWallMs} ms`,
        result: check(r.maxMs < TARGETS.realIngestWallMs),
      });
      info(`   in runIngest / CPU (medians)`, `${r.inProcessMedianMs} / ${r.cpuMedianMs ?? '?'} ms`);
    }
  }
  if (large) {
    out.push({
      measure: `2. ${large.chunks} generated chunks: throughput`,
      value: `${large.chunksPerSecond} chunks/s`,
      target: `>= ${TARGETS.chunksPerSecond} chunks/s`,
      result: check(large.chunksPerSecond >= TARGETS.chunksPerSecond),
    });
    info(`   runIngest wall / CPU`, `${large.ingestMs} / ${large.ingestCpuMs} ms`);
    const p = large.phasesMs;
    const peak = large.peakRssByPhaseBytes;
    info(
      `   prepare (parse, chunk, lexical index on a worker)`,
      `${p.prepare} ms, peak RSS so far ${mib(peak.prepare)}`,
    );
    info(`   features, IDF and vectors (HNSW worker starts)`, `${p.embed} ms, peak RSS so far ${mib(peak.embed)}`);
    info(`   related words + documents.json`, `${p.buildIndexes} ms, peak RSS so far ${mib(peak.buildIndexes)}`);
    info(
      `   write the rest + embedding cache`,
      `${p.write} ms (of which waiting for HNSW + vectors.hnsw ${p.waitHnsw} ms), peak RSS so far ${mib(peak.write)}`,
    );
    out.push({
      measure: `2. ${large.chunks} generated chunks: peak RSS`,
      value: mib(large.peakRssBytes),
      target: `< ${mib(TARGETS.peakRssBytes)}`,
      result: check(large.peakRssBytes < TARGETS.peakRssBytes),
    });
    info(`   RSS after generating the documents`, mib(large.rssAfterGenerateBytes));
  }
  if (cal)
    info(
      `   nearest / median cosine, real vs generated`,
      `${cal.real.nearest} / ${cal.real.median} vs ${cal.generated.nearest} / ${cal.generated.median}`,
    );
  if (search) {
    const h = search.hnsw;
    info(
      `3. hnsw over ${search.vectors} vectors`,
      `M ${h.m}, efConstruction ${h.efConstruction}, efSearch ${h.efSearch}`,
    );
    for (const [name, set] of [
      ['questions', search.questions],
      ['perturbed passages', search.perturbed],
    ] as const) {
      out.push({
        measure: `3. search p50, ${name}`,
        value: `${set.p50Ms} ms`,
        target: `< ${TARGETS.searchP50Ms} ms`,
        result: check(set.p50Ms < TARGETS.searchP50Ms),
      });
      info(`   p90 / p99 / max`, `${set.p90Ms} / ${set.p99Ms} / ${set.maxMs} ms`);
      out.push({
        measure: `3. recall@10 vs exact, ${name}`,
        value: `${set.recallAt10}`,
        target: `>= ${TARGETS.recallAt10}`,
        result: check(set.recallAt10 >= TARGETS.recallAt10),
      });
      info(`   exact top-1 in top 10 / score ratio`, `${set.top1In10} / ${set.scoreRatio}`);
      info(`   exact 1st / 10th cosine`, `${set.exactTop1} / ${set.exactTop10}`);
    }
    for (const point of search.efSearchSweep)
      info(
        `   questions at efSearch ${point.efSearch}: p50 / p99, recall@10`,
        `${point.p50Ms} / ${point.p99Ms} ms, ${point.recallAt10}`,
      );
  }
  return out;
}

function printTable(report: Report, table: Row[]): void {
  const m = report.machine;
  console.log(
    `bench:ingest: Node ${m.node}, ${m.cpus} CPU(s) ${m.cpuModel}, load average ${m.loadAverageStart.join(' ')} at start, ${m.loadAverageEnd?.join(' ')} at end`,
  );
  const widths = [
    Math.max(...table.map((r) => r.measure.length)),
    Math.max(...table.map((r) => r.value.length)),
    Math.max(6, ...table.map((r) => r.target.length)),
  ];
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < widths.length ? c.padEnd(widths[i]!) : c))
      .join('  ')
      .trimEnd();
  console.log(line(['measure', 'value', 'target', 'result']));
  console.log(line([...widths.map((w) => '-'.repeat(w)), '------']));
  for (const r of table) console.log(line([r.measure, r.value, r.target, r.result]));
  for (const error of report.errors) console.log(`error: ${error}`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const childAt = argv.indexOf('--child-large-ingest');
  if (childAt >= 0) {
    const [dir, documentCount, sections, m, efConstruction] = argv.slice(childAt + 1);
    await largeIngestChild(dir!, Number(documentCount), Number(sections), Number(m), Number(efConstruction));
    return;
  }

  const { json, ...options } = parseOptions(argv);
  const report: Report = {
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryBytes: totalmem(),
      loadAverageStart: load(),
    },
    options,
    targets: TARGETS,
    errors: [],
  };
  log(`bench:ingest on ${report.machine.cpus} CPU(s), load average ${report.machine.loadAverageStart.join(' ')}`);

  if (!options.skipReal) {
    log(`1. real article: ${options.runs} fresh and ${options.runs} warm runs of scripts/ingest.ts`);
    try {
      report.real = await benchRealIngest(options.runs);
    } catch (error) {
      report.errors.push(`real article ingest: ${(error as Error).message}`);
    }
  }

  if (!options.skipLarge) {
    const indexDir = await mkdtemp(join(tmpdir(), 'bench-ingest-large-'));
    try {
      log(
        `2. generated corpus: ${options.documents} documents x ${options.sections} sections, ingested in a child process`,
      );
      report.large = await benchLargeIngest(
        indexDir,
        options.documents,
        options.sections,
        options.m,
        options.efConstruction,
      );
      log(
        `   ${report.large.chunks} chunks in ${report.large.ingestMs} ms, peak RSS ${mib(report.large.peakRssBytes)}`,
      );
      report.calibration = await calibration();
      log(`3. hnsw search: ${options.queries} queries per set`);
      report.search = await benchSearch(indexDir, options.queries);
    } catch (error) {
      report.errors.push(`generated corpus: ${(error as Error).message}`);
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
  }

  report.machine.loadAverageEnd = load();
  const table = rows(report);
  if (json) console.log(JSON.stringify({ ...report, results: table }, null, 2));
  else printTable(report, table);
}

main().catch((error: unknown) => {
  // Could not run at all (bad option, broken import): the only non-zero exit.
  console.error(`bench:ingest failed: ${(error as Error)?.stack ?? String(error)}`);
  process.exit(1);
});
