import MiniSearch, { type Options, type SearchResult } from 'minisearch';
import { isStopword, stem, words } from '../text/analyze.ts';

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

const options: Options<LexicalDocument> = {
  fields: ['heading', 'text'],
  storeFields: [],
  tokenize: (text) => words(text),
  processTerm: (term) => (isStopword(term) ? null : stem(term)),
  searchOptions: { boost: { heading: 1.5 }, combineWith: 'OR' },
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

/** BM25 top-k for a query; an empty query (only stop words) finds nothing. */
export function searchLexical(index: LexicalIndex, query: string, k: number): LexicalHit[] {
  const results: SearchResult[] = index.search(query);
  return results.slice(0, k).map((r) => ({ position: Number(r.id), score: r.score }));
}
