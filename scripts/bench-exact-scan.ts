/**
 * npm run bench:scan — what the Worker's exact vector scan (ExactVectorSearcher) costs per
 * question at a few corpus sizes, to decide when a bundled index should move to Vectorize
 * (see docs/workers.md, "Growing past a bundled index"). Random unit vectors: the scan's cost
 * does not depend on the values.
 */
import { ExactVectorSearcher } from '../src/index/vector-searcher.ts';

const sizes: Array<[number, number]> = [
  [50, 384],
  [1_000, 384],
  [10_000, 384],
  [10_000, 1_536],
];

function randomUnitRows(count: number, dims: number): Float32Array {
  const rows = new Float32Array(count * dims);
  for (let r = 0; r < count; r++) {
    let norm = 0;
    for (let i = 0; i < dims; i++) {
      const v = Math.random() - 0.5;
      rows[r * dims + i] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < dims; i++) rows[r * dims + i]! /= norm;
  }
  return rows;
}

console.log('exact scan, top 24, median of 50 queries after 10 warm-up queries');
for (const [count, dims] of sizes) {
  const searcher = new ExactVectorSearcher(randomUnitRows(count, dims), dims);
  const queries = randomUnitRows(60, dims);
  const times: number[] = [];
  for (let q = 0; q < 60; q++) {
    const started = performance.now();
    searcher.search(queries.subarray(q * dims, (q + 1) * dims), 24);
    if (q >= 10) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `  ${String(count).padStart(6)} x ${String(dims).padEnd(5)} ${times[Math.floor(times.length / 2)]!.toFixed(2)} ms per query`,
  );
}
