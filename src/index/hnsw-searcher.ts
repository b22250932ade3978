import hnswlib from 'hnswlib-node';
import type { VectorHit, VectorSearcher } from './vector-searcher.ts';

/**
 * Node only: hnswlib-node is a native addon and never reaches the Worker bundle.
 *
 * Tuned with `npm run bench:ingest [-- --m M --ef-construction EF]` (part 3 sweeps efSearch) on
 * 100,000 generated passages of the local embedder, whose neighbourhoods are flat (the 1st and
 * 10th nearest passages are close in cosine), which is hard for HNSW. Recall@10 of 1,000
 * held-out questions against an exact scan, and p50 search cost on one shared core (noisy to
 * +-20%), by M / efConstruction and efSearch:
 *
 *   M 16 / 100: ef 128 0.824 (0.44 ms), 192 0.874 (0.58), 256 0.904 (0.77), 384 0.943 (1.3)
 *   M 16 / 200: ef 128 0.883, 192 0.918 (0.68), 256 0.939 (0.9-0.93), 320 0.954 (1.1), 384 0.962 (1.8)
 *   M 24 / 100: ef 192 0.896, 256 0.921 (0.83), 384 0.952 (1.3)
 *   M 24 / 150: ef 256 0.943 (1.07), 320 0.956 (1.2)
 *   M 16 / 40 : ef 256 0.757, 512 0.850; M 32 / 60: ef 256 0.877
 *
 * No setting reached 0.95 under 1 ms (hnswlib-node is compiled for SSE only, and 384
 * dimensions make each distance costly); a better graph costs build time, which grows with M
 * and efConstruction (bench:ingest reports the whole ingest, not the graph build alone).
 * M 16 / efConstruction 100 with efSearch 256 keeps the build where it was and buys most of
 * the recall there is under 1 ms. efSearch is read from each generation's manifest.
 */
export const HNSW_DEFAULTS = { m: 16, efConstruction: 100, efSearch: 256 } as const;

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

  static async read(path: string, dims: number, efSearch: number): Promise<HnswSearcher> {
    const index = new hnswlib.HierarchicalNSW('cosine', dims);
    await index.readIndex(path);
    index.setEf(efSearch);
    return new HnswSearcher(index);
  }

  /** Every stored vector, row after row by label (a chunk's position), as hnswlib keeps them: normalised. */
  rows(): Float32Array {
    const dims = this.index.getNumDimensions();
    const rows = new Float32Array(this.size * dims);
    for (let label = 0; label < this.size; label++) rows.set(this.index.getPoint(label), label * dims);
    return rows;
  }
}

/**
 * hnswlib-node accepts plain arrays only. A counted loop: Array.from on a typed array goes
 * through the iterator protocol and is several times slower.
 */
function toPlainArray(vector: Float32Array): number[] {
  const array = new Array<number>(vector.length);
  for (let i = 0; i < vector.length; i++) array[i] = vector[i]!;
  return array;
}
