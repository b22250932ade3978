// @ts-check
/**
 * The worker thread of HnswBuild (hnsw-build.ts): builds one hnswlib index from rows of a
 * shared Float32Array as the ingest announces them, and writes it where it is told. Plain
 * JavaScript, so that it runs in a worker thread without a TypeScript loader.
 *
 * workerData: { shared: SharedArrayBuffer (count * dims float32), dims, count, m, efConstruction }
 * messages in: { type: 'rows', end } (rows up to `end` are filled), { type: 'write', path }
 * messages out: { type: 'written', path } | { type: 'error', message }
 */
import { parentPort, workerData } from 'node:worker_threads';
import { addRows, newHnswGraph } from './hnsw-graph.mjs';

const { shared, dims, count, m, efConstruction } = workerData;
const rows = new Float32Array(shared);
const index = newHnswGraph(dims, count, { m, efConstruction });
let added = 0;
let failed = false;

parentPort?.on('message', (message) => {
  try {
    if (failed) {
      // Rows after a failure are not added; a write reports the failure (sent once).
      if (message.type === 'write') parentPort?.postMessage({ type: 'written', path: message.path });
    } else if (message.type === 'rows') {
      // Never past maxElements: hnswlib-node aborts the process (not the worker) on that.
      const end = Math.min(message.end, count);
      if (end > added) {
        addRows(index, rows, dims, added, end);
        added = end;
      }
    } else if (message.type === 'write') {
      index.writeIndexSync(message.path);
      parentPort?.postMessage({ type: 'written', path: message.path });
    }
  } catch (error) {
    failed = true;
    parentPort?.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
