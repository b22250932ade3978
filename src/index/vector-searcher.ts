/** Nearest passages to a query vector: hnswlib on Node, an exact scan on Workers. */
export interface VectorSearcher {
  readonly size: number;
  /** Up to k hits, nearest first; `score` is cosine similarity. */
  search(query: Float32Array | number[], k: number): VectorHit[];
}

export interface VectorHit {
  position: number;
  score: number;
}

/**
 * Exact cosine search over L2-normalised vectors stored row after row. Linear in the corpus
 * size: right for a bundled index of a few thousand passages (see docs/workers.md on growing past it).
 */
export class ExactVectorSearcher implements VectorSearcher {
  readonly size: number;

  constructor(
    private readonly vectors: Float32Array,
    private readonly dims: number,
  ) {
    this.size = Math.floor(vectors.length / dims);
  }

  search(query: Float32Array | number[], k: number): VectorHit[] {
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    // One monomorphic typed-array loop with four accumulators, and the top n kept in place
    // by insertion: no object per row and no sort of the whole corpus (`npm run bench:scan`
    // measures the scan).
    const q = query instanceof Float32Array ? query : Float32Array.from(query);
    const { vectors, dims, size } = this;
    const topScores = new Float64Array(n).fill(-Infinity);
    const topRows = new Int32Array(n).fill(-1);
    for (let row = 0, offset = 0; row < size; row++, offset += dims) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i + 3 < dims; i += 4) {
        s0 += vectors[offset + i]! * q[i]!;
        s1 += vectors[offset + i + 1]! * q[i + 1]!;
        s2 += vectors[offset + i + 2]! * q[i + 2]!;
        s3 += vectors[offset + i + 3]! * q[i + 3]!;
      }
      for (; i < dims; i++) s0 += vectors[offset + i]! * q[i]!;
      const score = s0 + s1 + s2 + s3;
      if (score <= topScores[n - 1]!) continue;
      // Ties keep the earlier row first, as a stable sort would.
      let at = n - 1;
      while (at > 0 && topScores[at - 1]! < score) {
        topScores[at] = topScores[at - 1]!;
        topRows[at] = topRows[at - 1]!;
        at--;
      }
      topScores[at] = score;
      topRows[at] = row;
    }
    const hits: VectorHit[] = [];
    for (let i = 0; i < n && topRows[i]! >= 0; i++) hits.push({ position: topRows[i]!, score: topScores[i]! });
    return hits;
  }
}
