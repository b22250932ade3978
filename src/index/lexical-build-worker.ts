/**
 * The worker thread of lexicalIndexJson (lexical-build.ts): builds the MiniSearch index with
 * lexical-index.ts and sends back its JSON in pieces. It is started as lexical-build-worker.mjs
 * from next to the code that starts it: in the source tree that file loads this one through
 * tsx; under `npm start` this file itself is bundled to dist/server/lexical-build-worker.mjs
 * (scripts/node-bundle.mjs), beside node.mjs, and needs no TypeScript loader.
 *
 * JSON.stringify(index) first turns the whole index into plain objects (MiniSearch's toJSON),
 * a second copy of the index as large as the first. Here the same JSON is written
 * term by term instead, mirroring toJSON of MiniSearch 7 (serializationVersion 2); before it is
 * used, it is checked to give exactly JSON.stringify's bytes on a small index, and if it does
 * not (another MiniSearch), JSON.stringify is used.
 *
 * workerData: { documents: LexicalDocument[] }
 * message out: { pieces: string[] } | { error }
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildLexicalIndex, type LexicalDocument, type LexicalIndex } from './lexical-index.ts';

/** The private fields of a MiniSearch 7 index that its toJSON serialises. */
interface MiniSearchFields {
  _index: Iterable<[string, Map<number, Map<number, number>>]>;
  _documentCount: number;
  _nextId: number;
  _documentIds: Map<number, unknown>;
  _fieldIds: Record<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _storedFields: Map<number, Record<string, unknown>>;
  _dirtCount: number;
}

/** JSON.stringify(index) in pieces, or null if the index is not laid out as expected. */
function miniSearchJsonPieces(miniSearch: LexicalIndex): string[] | null {
  const index = miniSearch as unknown as Partial<MiniSearchFields>;
  if (!index._index || typeof index._index[Symbol.iterator] !== 'function') return null;
  if (
    !(index._documentIds instanceof Map) ||
    !(index._fieldLength instanceof Map) ||
    !(index._storedFields instanceof Map)
  )
    return null;
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
  let batch: string[] = [];
  for (const [term, fieldIndex] of index._index) {
    const data: Record<string, unknown> = {};
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

// Only as lexicalIndexJson's worker (documents given): imported anywhere else, it does nothing.
if (parentPort && Array.isArray(workerData?.documents)) {
  try {
    const probe = buildLexicalIndex([
      { id: 0, heading: 'Pricing roadmap', text: 'Pricing the product, résumés and hiring.' },
      { id: 7, heading: 'Hiring', text: 'Interviews for the product team’s hiring.' },
    ]);
    const streams = miniSearchJsonPieces(probe)?.join('') === JSON.stringify(probe);
    const index = buildLexicalIndex((workerData as { documents: LexicalDocument[] }).documents);
    parentPort.postMessage({ pieces: (streams && miniSearchJsonPieces(index)) || [JSON.stringify(index)] });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}
