import { Embeddings } from '@langchain/core/embeddings';
import { BoundedMap, memoised } from '../memo.ts';
import { contentWords, stem, TEXT_ANALYSIS_VERSION } from '../text/analyze.ts';
import { bm25Idf } from '../text/bm25-idf.ts';
import { normalizeInPlace } from '../vector.ts';
import { SynonymTable } from '../text/synonyms.ts';

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
  /** Words used mostly as adjectives or adverbs (WordNet); see buildQualifierWords. */
  qualifiers?: string[];
}

const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.6;
const TRIGRAM_WEIGHT = 0.35;
export const DEFAULT_DIMS = 384;

/**
 * The embedder's identity, with everything a passage vector depends on besides its text: the
 * embedding cache and the manifest are keyed by it, so a change of feature weights can never
 * mix old and new vectors, and a server refuses (npm start rebuilds) an index built otherwise.
 * Its version is the text analysis's (TEXT_ANALYSIS_VERSION): stop words change passage features.
 */
export const LOCAL_EMBEDDER_ID = `local-hash-v${TEXT_ANALYSIS_VERSION}:w${WORD_WEIGHT}:b${BIGRAM_WEIGHT}:t${TRIGRAM_WEIGHT}`;

interface WordFeatures {
  stem: number;
  trigrams: Uint32Array;
  /** TRIGRAM_WEIGHT / sqrt(trigram count): every trigram of the word weighs this much. */
  trigramWeight: number;
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

function computeWordFeatures(word: string): WordFeatures {
  const padded = `<${word}>`;
  const trigrams = new Uint32Array(Math.max(0, padded.length - 2));
  for (let i = 0; i + 3 <= padded.length; i++) trigrams[i] = hash32(padded.slice(i, i + 3), TRIGRAM_SEED);
  return { stem: hash32(stem(word), WORD_SEED), trigrams, trigramWeight: TRIGRAM_WEIGHT / Math.sqrt(trigrams.length) };
}

const SCRATCH_MIN_BITS = 10;

/**
 * Turns texts into weighted features, one text at a time, into reusable scratch arrays: the
 * features of the last text are `ids[0..size)` with `weights[0..size)`, in order of first
 * occurrence (the order the vector is summed in, so vectors are the same to the last bit as
 * summing a Map in insertion order). No per-text allocation besides the tokenizer's.
 *
 * Each extractor memoises the features of every word it has seen: an ingest keeps one for the
 * whole corpus (its words are the corpus vocabulary, see `vocabulary()`); the module-level one
 * used for single texts forgets past 200,000 words.
 */
export class FeatureExtractor {
  ids = new Uint32Array(1 << SCRATCH_MIN_BITS);
  weights = new Float64Array(1 << SCRATCH_MIN_BITS);
  size = 0;
  /** Open addressing over feature ids: slot -> index into ids + 1 (0 = empty). */
  private slots = new Uint32Array(2 << SCRATCH_MIN_BITS);
  private mask = (2 << SCRATCH_MIN_BITS) - 1;
  /** The slot of each entry, to clear them for the next text. */
  private entrySlots = new Uint32Array(1 << SCRATCH_MIN_BITS);
  private readonly words: BoundedMap<string, WordFeatures>;

  constructor(maxWords = Infinity) {
    this.words = new BoundedMap(maxWords);
  }

  /** Every content word seen so far (stop words left out), unless the memo was cleared. */
  vocabulary(): IterableIterator<string> {
    return this.words.keys();
  }

  /** Features of `text` into ids/weights/size; returns size. */
  extract(text: string): number {
    // Forget the previous text: only its slots are cleared.
    for (let i = 0; i < this.size; i++) this.slots[this.entrySlots[i]!] = 0;
    this.size = 0;
    let previous: WordFeatures | null = null;
    for (const word of contentWords(text)) {
      // A stop word contributes nothing and breaks the bigram chain.
      if (word === null) {
        previous = null;
        continue;
      }
      const features = memoised(this.words, word, computeWordFeatures);
      this.add(features.stem, WORD_WEIGHT);
      if (previous) this.add((Math.imul(previous.stem ^ BIGRAM_SEED, 0x9e3779b1) ^ features.stem) >>> 0, BIGRAM_WEIGHT);
      const { trigrams, trigramWeight } = features;
      for (let i = 0; i < trigrams.length; i++) this.add(trigrams[i]!, trigramWeight);
      previous = features;
    }
    // Sublinear term frequency: a word said five times is not five times as relevant.
    const { weights } = this;
    for (let i = 0; i < this.size; i++) {
      const weight = weights[i]!;
      if (weight > 1) weights[i] = 1 + Math.log(weight);
    }
    return this.size;
  }

  /** The slot holding `feature`, or the empty slot where it would go. */
  private slotOf(feature: number): number {
    let slot = Math.imul(feature, 0x9e3779b1) >>> 0;
    for (;;) {
      slot &= this.mask;
      const entry = this.slots[slot]!;
      if (entry === 0 || this.ids[entry - 1] === feature) return slot;
      slot++;
    }
  }

  private add(feature: number, weight: number): void {
    const slot = this.slotOf(feature);
    const entry = this.slots[slot]!;
    if (entry !== 0) {
      this.weights[entry - 1]! += weight;
      return;
    }
    if (this.size === this.ids.length) {
      this.grow();
      this.add(feature, weight);
      return;
    }
    this.ids[this.size] = feature;
    this.weights[this.size] = weight;
    this.entrySlots[this.size] = slot;
    this.size++;
    this.slots[slot] = this.size;
  }

  private grow(): void {
    const ids = new Uint32Array(this.ids.length * 2);
    ids.set(this.ids);
    const weights = new Float64Array(this.weights.length * 2);
    weights.set(this.weights);
    this.ids = ids;
    this.weights = weights;
    this.entrySlots = new Uint32Array(ids.length);
    this.slots = new Uint32Array(ids.length * 2);
    this.mask = this.slots.length - 1;
    for (let i = 0; i < this.size; i++) {
      const slot = this.slotOf(ids[i]!);
      this.slots[slot] = i + 1;
      this.entrySlots[i] = slot;
    }
  }
}

const sharedExtractor = new FeatureExtractor(200_000);

/** Weighted features of a text: feature hash -> raw weight (before IDF and normalisation). */
export function extractFeatures(text: string): Map<number, number> {
  const size = sharedExtractor.extract(text);
  const counts = new Map<number, number>();
  for (let i = 0; i < size; i++) counts.set(sharedExtractor.ids[i]!, sharedExtractor.weights[i]!);
  return counts;
}

/**
 * A passage's vector from the features an extractor holds: signed hashing into `dims`
 * buckets, L2-normalised. `weightOf` multiplies each feature's weight (IDF for queries).
 */
export function projectFeatures(
  extractor: FeatureExtractor,
  dims: number,
  weightOf?: (feature: number) => number,
  into?: Float32Array,
): Float32Array {
  // `into` (dims zeros, e.g. a row of a matrix) saves an allocation per passage.
  const vector = into ?? new Float32Array(dims);
  const { ids, weights, size } = extractor;
  for (let i = 0; i < size; i++) {
    const feature = ids[i]!;
    const bucket = feature % dims;
    const sign = (feature >>> 31) & 1 ? -1 : 1;
    vector[bucket]! += weightOf ? sign * weights[i]! * weightOf(feature) : sign * weights[i]!;
  }
  return normalizeInPlace(vector);
}

/**
 * Document frequencies of features, counted passage by passage into typed arrays (an open
 * addressing table): a large corpus has millions of distinct features (every word, word pair
 * and letter trigram), too many for a Map to count quickly or hold compactly.
 */
export class DocumentFrequencyCounter {
  private keys = new Uint32Array(1 << 16);
  /** 0 = empty slot; otherwise the document frequency. */
  private counts = new Uint32Array(1 << 16);
  private mask = (1 << 16) - 1;
  private distinct = 0;
  documentCount = 0;

  /** Count the features an extractor holds as one passage (they are distinct). */
  addPassage(extractor: FeatureExtractor): void {
    this.documentCount++;
    const { ids, size } = extractor;
    // Kept at most 3/4 full, so probes stay short.
    if ((this.distinct + size) * 4 > this.keys.length * 3) this.grow(this.distinct + size);
    for (let i = 0; i < size; i++) {
      const feature = ids[i]!;
      const slot = this.slotOf(feature);
      if (this.counts[slot] === 0) {
        this.keys[slot] = feature;
        this.distinct++;
      }
      this.counts[slot]!++;
    }
  }

  /** The slot holding `feature`, or the empty slot where it would go (linear probing). */
  private slotOf(feature: number): number {
    let slot = Math.imul(feature, 0x9e3779b1) >>> 0;
    for (;;) {
      slot &= this.mask;
      if (this.counts[slot] === 0 || this.keys[slot] === feature) return slot;
      slot++;
    }
  }

  /** The fitted parameters: feature ids in ascending order with their frequencies. */
  params(dims: number): LocalEmbedderParams {
    const sorted = new Uint32Array(this.distinct);
    let n = 0;
    for (let slot = 0; slot < this.counts.length; slot++) if (this.counts[slot] !== 0) sorted[n++] = this.keys[slot]!;
    sorted.sort();
    const featureIds = new Array<number>(n);
    const documentFrequencies = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const feature = sorted[i]!;
      featureIds[i] = feature;
      documentFrequencies[i] = this.counts[this.slotOf(feature)]!;
    }
    return { dims, documentCount: this.documentCount, featureIds, documentFrequencies };
  }

  private grow(needed: number): void {
    let capacity = this.keys.length;
    while (needed * 4 > capacity * 3) capacity *= 2;
    const { keys, counts } = this;
    this.keys = new Uint32Array(capacity);
    this.counts = new Uint32Array(capacity);
    this.mask = capacity - 1;
    for (let old = 0; old < counts.length; old++) {
      if (counts[old] === 0) continue;
      const slot = this.slotOf(keys[old]!);
      this.keys[slot] = keys[old]!;
      this.counts[slot] = counts[old]!;
    }
  }
}

/** Count, for each feature, how many passages contain it: the IDF table saved with the index. */
export function fitLocalEmbedder(texts: Iterable<string>, dims = DEFAULT_DIMS): LocalEmbedderParams {
  const extractor = new FeatureExtractor();
  const counter = new DocumentFrequencyCounter();
  for (const text of texts) {
    extractor.extract(text);
    counter.addPassage(extractor);
  }
  return counter.params(dims);
}

export class LocalEmbeddings extends Embeddings {
  readonly id = LOCAL_EMBEDDER_ID;
  readonly dims: number;
  /** Corpus stems related to a stem the corpus lacks (empty when none). */
  readonly related: ReadonlyMap<string, readonly string[]>;
  /** Words, as typed (lower-cased), that qualify rather than name: "crazy", "late". */
  readonly qualifiers: ReadonlySet<string>;
  /** The owner's synonyms (corpus/synonyms.txt) of the index this embedder belongs to. */
  readonly synonyms: SynonymTable;
  /**
   * Spelling corrections of question words against this index's vocabulary (query-terms.ts),
   * kept with the index they were worked out for: a few hundred candidates are stemmed per
   * word, and chat repeats its words ("prodcut", names) across questions.
   */
  readonly spellingCorrections = new BoundedMap<string, string[]>(10_000);
  /**
   * Feature -> IDF, for the query side (passages are embedded without it), as sorted typed
   * arrays: 12 bytes a feature, where a Map costs several times that per entry (and a large
   * corpus has millions of features). Built when the index loads (in the background on a hot
   * swap), not on the first question.
   */
  private readonly idf: IdfTable;
  private readonly unseenIdf: number;

  constructor(params: LocalEmbedderParams, synonyms: SynonymTable = SynonymTable.empty) {
    super({});
    this.dims = params.dims;
    this.idf = new IdfTable(params);
    this.unseenIdf = bm25Idf(params.documentCount, 0);
    this.related = new Map(Object.entries(params.related ?? {}));
    this.qualifiers = new Set(params.qualifiers);
    this.synonyms = synonyms;
  }

  /** A passage's vector: depends on its own text only, so it can be cached by content hash. */
  embedPassage(text: string): Float32Array {
    sharedExtractor.extract(text);
    return projectFeatures(sharedExtractor, this.dims);
  }

  /** A query's vector: features weighted by corpus IDF. */
  embedQueryVector(text: string): Float32Array {
    // Features the corpus never saw cannot match a passage; leaving them out keeps their hash
    // collisions from adding noise.
    const { idf } = this;
    sharedExtractor.extract(text);
    return projectFeatures(sharedExtractor, this.dims, (feature) => idf.get(feature) ?? 0);
  }

  /** IDF of a stemmed word, for callers that weigh query terms (retrieval support, sentences). */
  termIdf(termStem: string): number {
    return this.idf.get(hash32(termStem, WORD_SEED)) ?? this.unseenIdf;
  }

  /** The IDF of a word no passage contains. */
  get unseenTermIdf(): number {
    return this.unseenIdf;
  }

  /**
   * Whether the corpus has a feature with this stem's id: the stem itself, unless another
   * feature shares the hashed id by chance. The lexical index's vocabulary is exact.
   */
  knowsTerm(termStem: string): boolean {
    return this.idf.get(hash32(termStem, WORD_SEED)) !== undefined;
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => Array.from(this.embedPassage(t)));
  }

  override async embedQuery(text: string): Promise<number[]> {
    return Array.from(this.embedQueryVector(text));
  }
}

/** Feature id -> IDF, by binary search over ids in ascending order. */
class IdfTable {
  private readonly ids: Uint32Array;
  private readonly values: Float64Array;

  constructor(params: LocalEmbedderParams) {
    const { featureIds, documentFrequencies, documentCount } = params;
    const count = featureIds.length;
    let order: ArrayLike<number> | null = null;
    for (let i = 1; i < count; i++) {
      if (featureIds[i - 1]! >= featureIds[i]!) {
        // Ids out of order (params() sorts them; parameters built otherwise may not be), or a
        // repeated id, where the last wins as in a Map: sort positions by id, stable.
        order = Array.from(featureIds.keys()).sort((a, b) => featureIds[a]! - featureIds[b]! || a - b);
        break;
      }
    }
    const ids = new Uint32Array(count);
    const values = new Float64Array(count);
    let n = 0;
    for (let i = 0; i < count; i++) {
      const at = order ? order[i]! : i;
      const id = featureIds[at]!;
      if (n > 0 && ids[n - 1] === id) n--;
      ids[n] = id;
      values[n] = bm25Idf(documentCount, documentFrequencies[at]!);
      n++;
    }
    this.ids = ids.subarray(0, n);
    this.values = values.subarray(0, n);
  }

  get(feature: number): number | undefined {
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const id = this.ids[mid]!;
      if (id < feature) lo = mid + 1;
      else if (id > feature) hi = mid - 1;
      else return this.values[mid];
    }
    return undefined;
  }
}
