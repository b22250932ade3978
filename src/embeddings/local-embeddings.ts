import { Embeddings } from '@langchain/core/embeddings';
import { isStopword, stem, words } from '../text/analyze.ts';

/**
 * The offline embedder: signed feature hashing of stemmed words, word bigrams and character
 * trigrams into a fixed number of dimensions, L2-normalised. No weights to download; the
 * same input gives the same vector on every machine.
 *
 * It is deliberately asymmetric. Passages are embedded from their own text alone (sublinear
 * term frequency), so a passage's vector never changes when other files change and the
 * embedding cache stays valid across edits. Queries are weighted by inverse document
 * frequency fitted on the corpus at ingest and saved with the index, which is where IDF
 * does its work in BM25 too: rare query words count, common ones ("product") barely do.
 */


export interface LocalEmbedderParams {
  dims: number;
  /** Number of passages the document frequencies were counted over. */
  documentCount: number;
  /** Feature hashes and their document frequencies, as parallel arrays (compact JSON). */
  featureIds: number[];
  documentFrequencies: number[];
  /** Related words (WordNet) from question vocabulary to corpus stems; see related-words.ts. */
  related?: Record<string, string[]>;
}

const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.6;
const TRIGRAM_WEIGHT = 0.35;
export const DEFAULT_DIMS = 384;

/**
 * The embedder's identity, with everything a passage vector depends on besides its text (v2:
 * the stop word list gained chat spellings, which changes passage features): the
 * embedding cache and the manifest are keyed by it, so a change of feature weights can never
 * mix old and new vectors, and a server refuses (npm start rebuilds) an index built otherwise.
 */
export const LOCAL_EMBEDDER_ID = `local-hash-v2:w${WORD_WEIGHT}:b${BIGRAM_WEIGHT}:t${TRIGRAM_WEIGHT}`;

interface WordFeatures {
  stem: number;
  trigrams: number[];
}

/** FNV-1a over a string with a seed, then a murmur3 finaliser for good low bits. */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const WORD_SEED = 1;
const BIGRAM_SEED = 2;
const TRIGRAM_SEED = 3;

const wordFeatureCache = new Map<string, WordFeatures | null>();

function wordFeatures(word: string): WordFeatures | null {
  let features = wordFeatureCache.get(word);
  if (features !== undefined) return features;
  if (isStopword(word)) {
    features = null;
  } else {
    const padded = `<${word}>`;
    const trigrams: number[] = [];
    for (let i = 0; i + 3 <= padded.length; i++) trigrams.push(hash32(padded.slice(i, i + 3), TRIGRAM_SEED));
    features = { stem: hash32(stem(word), WORD_SEED), trigrams };
  }
  if (wordFeatureCache.size > 200_000) wordFeatureCache.clear();
  wordFeatureCache.set(word, features);
  return features;
}

/** Weighted features of a text: feature hash -> raw weight (before IDF and normalisation). */
export function extractFeatures(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (feature: number, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  let previous: WordFeatures | null = null;
  for (const word of words(text)) {
    const features = wordFeatures(word);
    if (!features) {
      previous = null;
      continue;
    }
    add(features.stem, WORD_WEIGHT);
    if (previous) add((Math.imul(previous.stem ^ BIGRAM_SEED, 0x9e3779b1) ^ features.stem) >>> 0, BIGRAM_WEIGHT);
    const trigramWeight = TRIGRAM_WEIGHT / Math.sqrt(features.trigrams.length);
    for (const trigram of features.trigrams) add(trigram, trigramWeight);
    previous = features;
  }
  // Sublinear term frequency: a word said five times is not five times as relevant.
  for (const [feature, weight] of counts) counts.set(feature, weight > 1 ? 1 + Math.log(weight) : weight);
  return counts;
}

/** Count, for each feature, how many passages contain it: the IDF table saved with the index. */
export function fitLocalEmbedder(texts: Iterable<string>, dims = DEFAULT_DIMS): LocalEmbedderParams {
  const df = new Map<number, number>();
  let documentCount = 0;
  for (const text of texts) {
    documentCount++;
    for (const feature of extractFeatures(text).keys()) df.set(feature, (df.get(feature) ?? 0) + 1);
  }
  return { dims, documentCount, featureIds: [...df.keys()], documentFrequencies: [...df.values()] };
}

export class LocalEmbeddings extends Embeddings {
  readonly id = LOCAL_EMBEDDER_ID;
  readonly dims: number;
  /** Corpus stems related to a stem the corpus lacks (empty when none). */
  readonly related: ReadonlyMap<string, readonly string[]>;
  private readonly idfByFeature = new Map<number, number>();
  private readonly unseenIdf: number;

  constructor(params: LocalEmbedderParams) {
    super({});
    this.dims = params.dims;
    const n = params.documentCount;
    // BM25's IDF, always positive; a feature the corpus never saw gets the highest weight, which
    // lowers the similarity of questions about things the corpus does not mention.
    const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
    params.featureIds.forEach((id, i) => this.idfByFeature.set(id, idf(params.documentFrequencies[i]!)));
    this.unseenIdf = idf(0);
    this.related = new Map(Object.entries(params.related ?? {}));
  }

  /** A passage's vector: depends on its own text only, so it can be cached by content hash. */
  embedPassage(text: string): Float32Array {
    return this.project(extractFeatures(text), () => 1);
  }

  /** A query's vector: features weighted by corpus IDF. */
  embedQueryVector(text: string): Float32Array {
    // Features the corpus never saw cannot match a passage; leaving them out keeps their hash
    // collisions from adding noise.
    return this.project(extractFeatures(text), (feature) => this.idfByFeature.get(feature) ?? 0);
  }

  /** IDF of a stemmed word, for callers that weigh query terms (retrieval support, sentences). */
  termIdf(termStem: string): number {
    return this.idfByFeature.get(hash32(termStem, WORD_SEED)) ?? this.unseenIdf;
  }

  /** Whether the corpus contains a stemmed word at all. */
  knowsTerm(termStem: string): boolean {
    return this.idfByFeature.has(hash32(termStem, WORD_SEED));
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => Array.from(this.embedPassage(t)));
  }

  override async embedQuery(text: string): Promise<number[]> {
    return Array.from(this.embedQueryVector(text));
  }

  private project(features: Map<number, number>, weightOf: (feature: number) => number): Float32Array {
    const vector = new Float32Array(this.dims);
    for (const [feature, weight] of features) {
      const bucket = feature % this.dims;
      const sign = (feature >>> 31) & 1 ? -1 : 1;
      vector[bucket]! += sign * weight * weightOf(feature);
    }
    let norm = 0;
    for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
    return vector;
  }
}
