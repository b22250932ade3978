import hnswlib from 'hnswlib-node';
import type { VectorHit, VectorSearcher } from './vector-searcher.ts';

/**
 * Node only: hnswlib-node is a native addon and never reaches the Worker bundle.
 *
 * Tuned with `npm run bench:ingest` on 100,000 generated passages of the local embedder, whose
 * neighbourhoods are flat (the 1st and 10th nearest passages are close in cosine), which is
 * hard for HNSW. Search cost and recall@10 of held-out questions, per query on one core:
 * efSearch 64 about 0.35 ms and 0.71, 128 about 0.55 ms and 0.82, 256 about 0.8 ms and 0.91.
 * Cheaper builds (efConstruction 64, or M 12) lost more recall at equal search cost than
 * they saved, and M 24 or 32 did no better. efSearch is read from each generation's manifest.
 */
export const HNSW_DEFAULTS = { m: 16, efConstruction: 100, efSearch: 128 } as const;

export class HnswSearcher implements VectorSearcher {
  constructor(private readonly index: hnswlib.HierarchicalNSW) {}

  get size(): number {
    return this.index.getCurrentCount();
  }

  search(query: Float32Array | number[], k: number): VectorHit[] {
    const n = Math.min(k, this.size);
    if (n === 0) return [];
    const result = this.index.searchKnn(Array.isArray(query) ? query : toPlainArray(query), n);
    // hnswlib's cosine space reports distance = 1 - cosine similarity.
    return result.neighbors.map((position, i) => ({ position, score: 1 - result.distances[i]! }));
  }

  /** Build an index over row-major vectors; labels are row positions. */
  static build(vectors: Float32Array, dims: number, options: { m: number; efConstruction: number; efSearch: number }): HnswSearcher {
    const count = Math.floor(vectors.length / dims);
    const index = new hnswlib.HierarchicalNSW('cosine', dims);
    index.initIndex({ maxElements: Math.max(count, 1), m: options.m, efConstruction: options.efConstruction, randomSeed: 42 });
    // addPoint copies the values into the index, so one plain array serves every row.
    const point = new Array<number>(dims).fill(0);
    for (let row = 0; row < count; row++) index.addPoint(toPlainArray(vectors.subarray(row * dims, (row + 1) * dims), point), row);
    index.setEf(options.efSearch);
    return new HnswSearcher(index);
  }

  static async read(path: string, dims: number, efSearch: number): Promise<HnswSearcher> {
    const index = new hnswlib.HierarchicalNSW('cosine', dims);
    await index.readIndex(path);
    index.setEf(efSearch);
    return new HnswSearcher(index);
  }

  writeSync(path: string): void {
    this.index.writeIndexSync(path);
  }

  async write(path: string): Promise<void> {
    this.writeSync(path);
  }
}

/**
 * hnswlib-node accepts plain arrays only. A counted loop: Array.from on a typed array goes
 * through the iterator protocol, about 30 µs for 384 dimensions (3 s over 100,000 rows).
 */
function toPlainArray(vector: Float32Array, into: number[] = new Array<number>(vector.length)): number[] {
  for (let i = 0; i < vector.length; i++) into[i] = vector[i]!;
  return into;
}
