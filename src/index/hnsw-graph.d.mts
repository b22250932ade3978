import type hnswlib from 'hnswlib-node';

/** See hnsw-graph.mjs. */
export declare function newHnswGraph(
  dims: number,
  count: number,
  options: { m: number; efConstruction: number },
): hnswlib.HierarchicalNSW;
export declare function addRows(
  index: hnswlib.HierarchicalNSW,
  rows: Float32Array,
  dims: number,
  from: number,
  to: number,
): void;
