// @ts-check
/**
 * The worker thread of lexicalIndexJsonInWorker (lexical-build.ts): builds the MiniSearch index
 * with lexical-index.ts (loaded through tsx's API) and
 * sends back its JSON. Building and serialising the index of 100,000 passages makes some 450 MB
 * of garbage; in a worker it all goes when the worker ends, instead of staying in the
 * ingest's heap while the vector index is built.
 *
 * workerData: { module: URL of lexical-index.ts, documents: LexicalDocument[] }
 * message out: { json } | { error }
 */
import { parentPort, workerData } from 'node:worker_threads';

try {
  // tsx's API rather than a loader flag: Node 20 does not apply `--import tsx` to a worker.
  const { tsImport } = await import('tsx/esm/api');
  const { buildLexicalIndex } = await tsImport(workerData.module, import.meta.url);
  parentPort?.postMessage({ json: JSON.stringify(buildLexicalIndex(workerData.documents)) });
} catch (error) {
  parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
}
