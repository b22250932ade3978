import hnswlib from 'hnswlib-node';
import type { VectorHit, VectorSearcher } from './vector-searcher.ts';

/** Node only: hnswlib-node is a native addon and never reaches the Worker bundle. */
export const HNSW_DEFAULTS = { m: 16, efConstruction: 100, efSearch: 64 } as const;

export class HnswSearcher implements VectorSearcher {
  constructor(private readonly index: hnswlib.HierarchicalNSW) {}

  get size(): number {
    return this.index.getCurrentCount();
  }

  search(query: Float32Array | number[], k: number): VectorHit[] {
    const n = Math.min(k, this.size);
    if (n === 0) return [];
    const result = this.index.searchKnn(Array.isArray(query) ? query : Array.from(query), n);
    // hnswlib's cosine space reports distance = 1 - cosine similarity.
    return result.neighbors.map((position, i) => ({ position, score: 1 - result.distances[i]! }));
  }

  /** Build an index over row-major vectors; labels are row positions. */
  static build(vectors: Float32Array, dims: number, options: { m: number; efConstruction: number; efSearch: number }): HnswSearcher {
    const count = Math.floor(vectors.length / dims);
    const index = new hnswlib.HierarchicalNSW('cosine', dims);
    index.initIndex({ maxElements: Math.max(count, 1), m: options.m, efConstruction: options.efConstruction, randomSeed: 42 });
    for (let row = 0; row < count; row++) index.addPoint(Array.from(vectors.subarray(row * dims, (row + 1) * dims)), row);
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
}
