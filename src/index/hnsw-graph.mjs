// @ts-check
/**
 * Building an hnswlib graph, shared by HnswBuild on this thread (small corpora) and
 * hnsw-build-worker.mjs (a worker thread), so that both write the same index file byte for
 * byte. Plain JavaScript because the worker thread runs without a TypeScript loader; its
 * types are in hnsw-graph.d.mts.
 */
import hnswlib from 'hnswlib-node';

/** Fixed, so that an index file depends on its rows and parameters alone. */
const RANDOM_SEED = 42;

/** An empty cosine index with room for `count` rows (at least one: hnswlib refuses zero). */
export function newHnswGraph(dims, count, { m, efConstruction }) {
  const index = new hnswlib.HierarchicalNSW('cosine', dims);
  index.initIndex({ maxElements: Math.max(count, 1), m, efConstruction, randomSeed: RANDOM_SEED });
  return index;
}

/** Add rows `from` to `to - 1` of a row-major matrix, labelled by their row positions. */
export function addRows(index, rows, dims, from, to) {
  // addPoint copies the values into the index, so one plain array (all hnswlib-node takes)
  // serves every row; filled by a counted loop, far quicker than Array.from on a typed array.
  const point = new Array(dims).fill(0);
  for (let row = from; row < to; row++) {
    const offset = row * dims;
    for (let i = 0; i < dims; i++) point[i] = rows[offset + i];
    index.addPoint(point, row);
  }
}
