// @ts-check
/**
 * The worker thread of lexicalIndexJson (lexical-build.ts): builds the MiniSearch index with
 * lexical-index.ts (loaded through tsx's API) and sends back its JSON in pieces.
 *
 * JSON.stringify(index) first turns the whole index into plain objects (MiniSearch's toJSON):
 * at 100,000 passages some 300 MB, more than the index itself. Here the same JSON is written
 * term by term instead, mirroring toJSON of MiniSearch 7 (serializationVersion 2); before it is
 * used, it is checked to give exactly JSON.stringify's bytes on a small index, and if it does
 * not (another MiniSearch), JSON.stringify is used.
 *
 * workerData: { module: URL of lexical-index.ts, documents: LexicalDocument[] }
 * message out: { pieces: string[] } | { error }
 */
import { parentPort, workerData } from 'node:worker_threads';

/**
 * @param {any} index a MiniSearch instance
 * @returns {string[] | null} JSON.stringify(index) in pieces, or null if the index is not laid out as expected
 */
function miniSearchJsonPieces(index) {
  if (!index || !index._index || typeof index._index[Symbol.iterator] !== 'function' || !(index._documentIds instanceof Map)) return null;
  const head = {
    documentCount: index._documentCount,
    nextId: index._nextId,
    documentIds: Object.fromEntries(index._documentIds),
    fieldIds: index._fieldIds,
    fieldLength: Object.fromEntries(index._fieldLength),
    averageFieldLength: index._avgFieldLength,
    storedFields: Object.fromEntries(index._storedFields),
    dirtCount: index._dirtCount,
  };
  const pieces = [`${JSON.stringify(head).slice(0, -1)},"index":[`];
  let batch = [];
  for (const [term, fieldIndex] of index._index) {
    /** @type {Record<string, unknown>} */
    const data = {};
    for (const [fieldId, freqs] of fieldIndex) data[fieldId] = Object.fromEntries(freqs);
    batch.push(JSON.stringify([term, data]));
    if (batch.length === 1000) {
      pieces.push(`${pieces.length > 1 ? ',' : ''}${batch.join(',')}`);
      batch = [];
    }
  }
  if (batch.length > 0) pieces.push(`${pieces.length > 1 ? ',' : ''}${batch.join(',')}`);
  pieces.push('],"serializationVersion":2}');
  return pieces;
}

if (parentPort && workerData?.module) {
  try {
    // tsx's API rather than a loader flag: Node 20 does not apply `--import tsx` to a worker.
    const { tsImport } = await import('tsx/esm/api');
    const { buildLexicalIndex } = await tsImport(workerData.module, import.meta.url);
    const probe = buildLexicalIndex([
      { id: 0, heading: 'Pricing roadmap', text: 'Pricing the product, résumés and hiring.' },
      { id: 7, heading: 'Hiring', text: 'Interviews for the product team’s hiring.' },
    ]);
    const streams = miniSearchJsonPieces(probe)?.join('') === JSON.stringify(probe);
    const index = buildLexicalIndex(workerData.documents);
    parentPort.postMessage({ pieces: (streams && miniSearchJsonPieces(index)) || [JSON.stringify(index)] });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}
