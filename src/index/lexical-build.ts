import { Worker } from 'node:worker_threads';
import { buildLexicalIndex, type LexicalDocument } from './lexical-index.ts';

/**
 * The lexical index of `documents` as JSON (lexical.json) in pieces to be written one after
 * another, serialised at once so that the MiniSearch index itself is not kept alive. With
 * `inWorker`, built on a worker thread and serialised term by term (see
 * lexical-build-worker.ts): the same bytes, but the memory of building and serialising a
 * large index (the ingest's largest peak, see `npm run bench:ingest`) is not this thread's,
 * and is freed with the worker. If the worker fails, the index is built on this thread after all,
 * with a process warning (code LEXICAL_WORKER_FALLBACK) saying why.
 */
export async function lexicalIndexJson(documents: LexicalDocument[], inWorker = false): Promise<string[]> {
  if (inWorker) {
    try {
      return await inWorkerThread(documents);
    } catch (error) {
      // No worker thread to be had (its file missing, a heap limit): the same bytes, built here.
      process.emitWarning(
        `lexical index built on the main thread, not a worker thread (${error instanceof Error ? error.message : String(error)}): ` +
          'the same index, but its peak memory adds to the ingest’s',
        { code: 'LEXICAL_WORKER_FALLBACK' },
      );
    }
  }
  return [JSON.stringify(buildLexicalIndex(documents))];
}

async function inWorkerThread(documents: LexicalDocument[]): Promise<string[]> {
  // Beside this module in either layout: in the source tree a file that loads
  // lexical-build-worker.ts through tsx; under `npm start` lexical-build-worker.ts itself,
  // bundled beside node.mjs (scripts/node-bundle.mjs).
  const worker = new Worker(new URL('./lexical-build-worker.mjs', import.meta.url), {
    workerData: { documents },
    execArgv: [],
    // A small young generation: most of the garbage (tokens, stems) dies young, so a small
    // nursery collected often keeps the worker's peak lower.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  try {
    return await new Promise<string[]>((resolve, reject) => {
      worker.once('message', (message: { pieces?: string[]; error?: string }) => {
        if (Array.isArray(message.pieces)) resolve(message.pieces);
        else reject(new Error(`lexical index: ${message.error}`));
      });
      worker.on('error', reject);
      worker.once('exit', (code) => reject(new Error(`lexical index worker exited with code ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
}
