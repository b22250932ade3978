/**
 * BM25's IDF, as MiniSearch computes it internally: always positive, and highest for a term
 * no passage contains (df 0). The local embedder weighs query features with it, and the
 * lexical index rescales MiniSearch's per-field scores with it, which only works while the
 * two formulas are the same.
 */
export function bm25Idf(documentCount: number, df: number): number {
  return Math.log(1 + (documentCount - df + 0.5) / (df + 0.5));
}
