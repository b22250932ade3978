import MiniSearch, { type Options } from 'minisearch';
import { BoundedMap, memoised } from '../memo.ts';
import { contentTerms, contentWords, stem } from '../text/analyze.ts';
import { bm25Idf } from '../text/bm25-idf.ts';

/**
 * The lexical (BM25) side of retrieval, with MiniSearch: pure JavaScript, serialisable to
 * JSON, the same on Node and Workers. It shares its word analysis with the local embedder.
 */

export interface LexicalDocument {
  /** Position of the chunk in the chunk store. */
  id: number;
  heading: string;
  text: string;
}

const FIELDS = ['heading', 'text'] as const;

/**
 * The word analysis of the index, shared with the local embedder (src/text/analyze.ts): the
 * tokenizer already leaves every stop word out, so terms only need stemming. Exported for the
 * eval's BM25 baseline, which must analyse exactly as the hybrid does. Searches here are
 * always for terms already analysed (stems), so search options analyse nothing again: a stem
 * spelled like a stop word ("getting" -> get, "others" -> other) would otherwise be dropped
 * before it reached the index that holds it.
 */
export const LEXICAL_ANALYSIS: Pick<Options, 'tokenize' | 'processTerm'> = {
  tokenize: (text) => contentWords(text).filter((word) => word !== null),
  processTerm: (term) => stem(term),
};

const options: Options<LexicalDocument> = {
  fields: [...FIELDS],
  storeFields: [],
  ...LEXICAL_ANALYSIS,
  searchOptions: {
    boost: { heading: 1.5 },
    combineWith: 'OR',
    tokenize: (stem) => [stem],
    processTerm: (stem) => stem,
  },
};

export type LexicalIndex = MiniSearch<LexicalDocument>;

export function buildLexicalIndex(documents: LexicalDocument[]): LexicalIndex {
  const index = new MiniSearch<LexicalDocument>(options);
  index.addAll(documents);
  return index;
}

export function loadLexicalIndex(json: string): LexicalIndex {
  return MiniSearch.loadJSON<LexicalDocument>(json, options);
}

export interface LexicalHit {
  position: number;
  score: number;
}

/**
 * BM25 top-k for a query: each distinct query term is scored by the library on its own and
 * the scores are summed, weighted: the question's own words count 1 (or the weight given
 * in `termWeights`), stand-ins (synonyms, related words, given as stems) count less. Summing per term keeps BM25's
 * meaning and avoids rewarding a passage merely for matching many loose stand-ins.
 */
export function searchLexical(
  index: LexicalIndex,
  query: string,
  k: number,
  termWeights: ReadonlyMap<string, number> = new Map(),
): LexicalHit[] {
  const weights = new Map<string, number>();
  for (const term of contentTerms(query)) weights.set(term, 1);
  // Stand-ins are added; a weight given for one of the question's own words replaces its 1.
  for (const [term, weight] of termWeights) weights.set(term, weight);
  const scores = new Map<number, number>();
  for (const [term, weight] of weights) {
    for (const { position, score } of termHits(index, term))
      scores.set(position, (scores.get(position) ?? 0) + weight * score);
  }
  return [...scores.entries()]
    .map(([position, score]) => ({ position, score }))
    .sort((a, b) => b.score - a.score || a.position - b.position)
    .slice(0, k);
}

/**
 * The index's vocabulary, exactly: whether it has a stem, and its stems with a prefix (for
 * query words the corpus lacks; see CorpusVocabulary in src/rag/query-terms.ts).
 */
export function corpusVocabulary(index: LexicalIndex): {
  has(stem: string): boolean;
  startingWith(prefix: string): string[];
} {
  return {
    has: (stem) => termHits(index, stem).length > 0,
    startingWith: (prefix) => stemsStartingWith(index, prefix),
  };
}

/** The index's stems that begin with `prefix` (itself included when present), memoised like postings. */
function stemsStartingWith(index: LexicalIndex, prefix: string): string[] {
  const memo = memoised(stemsByIndex, index, () => new BoundedMap<string, string[]>(MAX_CACHED_TERMS));
  return memoised(memo, prefix, () => {
    const found = new Set<string>();
    for (const result of index.search(prefix, { prefix: true })) for (const term of result.terms) found.add(term);
    return [...found].sort();
  });
}
const stemsByIndex = new WeakMap<LexicalIndex, BoundedMap<string, string[]>>();

/** Per-term BM25 postings of a loaded (immutable) index, memoised: questions share words. */
const hitsByIndex = new WeakMap<LexicalIndex, BoundedMap<string, LexicalHit[]>>();
const MAX_CACHED_TERMS = 20_000;

function termHits(index: LexicalIndex, term: string): LexicalHit[] {
  const memo = memoised(hitsByIndex, index, () => new BoundedMap<string, LexicalHit[]>(MAX_CACHED_TERMS));
  return memoised(memo, term, () => bm25fHits(index, term));
}

/**
 * BM25 scores of one term over both fields, with the term's rarity judged over whole
 * passages (as BM25F does) rather than per field as MiniSearch does. Per field, a word on
 * most passages but in few headings ("PM" in the label "Get certified as a PM") would get a
 * heading IDF as high as a rare word's and outrank passages that are about the question.
 * Each field's score is rescaled from its own IDF to the passage-level one.
 */
function bm25fHits(index: LexicalIndex, term: string): LexicalHit[] {
  const byField = FIELDS.map((field) => index.search(term, { fields: [field] }));
  const passages = new Set(byField.flatMap((results) => results.map((r) => r.id))).size;
  const idf = (df: number) => bm25Idf(index.documentCount, df);
  const scores = new Map<number, number>();
  for (const results of byField) {
    const rescale = results.length > 0 ? idf(passages) / idf(results.length) : 1;
    for (const r of results) scores.set(Number(r.id), (scores.get(Number(r.id)) ?? 0) + r.score * rescale);
  }
  // Unordered: searchLexical sums these per passage and ranks the sums; `has` counts them.
  return [...scores].map(([position, score]) => ({ position, score }));
}
