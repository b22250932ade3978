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
 * size: right for a bundled index of a few thousand passages (see README on growing past it).
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
    const hits: VectorHit[] = [];
    for (let row = 0; row < this.size; row++) {
      let dot = 0;
      const offset = row * this.dims;
      for (let i = 0; i < this.dims; i++) dot += this.vectors[offset + i]! * query[i]!;
      hits.push({ position: row, score: dot });
    }
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, k);
  }
}
