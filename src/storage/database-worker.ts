/**
 * The worker thread of openDatabaseThread (database-thread.ts): owns the libSQL client and runs
 * the statements it is sent. Started as database-worker.mjs from next to the code that starts
 * it: in the source tree that file loads this one through tsx; under `npm start` this file is
 * bundled to dist/server/database-worker.mjs beside node.mjs (scripts/node-bundle.mjs).
 *
 * workerData: DatabaseWorkerData ({ url, ring })
 * messages out: { ready: true } once opened and migrated, or { failed: SerialisedError };
 * then, for each DatabaseRequest in, its DatabaseReply; and a QueueFailure when lines taken
 * from the ring could not be written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  DRAIN_INTERVAL_MS,
  type DatabaseReply,
  type DatabaseRequest,
  type DatabaseWorkerData,
  type QueueFailure,
  type SerialisedError,
} from './database-thread.ts';
import { openLibsqlDatabase } from './libsql.ts';
import type { StagingDatabase } from './staged-questions.ts';
import { countLines, TextRing } from './text-ring.ts';
import { DATABASE_THREAD_NICE_INCREMENT, lowerThisThreadPriority } from './thread-priority.ts';

const port = parentPort!;
const { url, ring: ringBuffer } = workerData as DatabaseWorkerData;
const ring = new TextRing(ringBuffer);

lowerThisThreadPriority(DATABASE_THREAD_NICE_INCREMENT);

let db: StagingDatabase;
try {
  db = await openLibsqlDatabase(url);
  // Nothing is lost when a move fails (the lines stay staged), but the owner hears of it.
  db.onMoveFailure((error) =>
    port.postMessage({ queueFailure: serialise(error), lostRecords: 0 } satisfies QueueFailure),
  );
  port.postMessage({ ready: true });
  port.on('message', (request: DatabaseRequest) => void run(request));
  setInterval(() => void drain(), DRAIN_INTERVAL_MS);
} catch (error) {
  port.postMessage({ failed: serialise(error) });
}

let draining: Promise<void> = Promise.resolve();

/** Write what the ring holds now (after any drain under way); a failure is reported, not thrown. */
function drain(): Promise<void> {
  draining = draining.then(async () => {
    const lines = ring.takeBytes();
    if (!lines) return;
    try {
      await db.recordQuestionLines(lines);
    } catch (error) {
      port.postMessage({
        queueFailure: serialise(error),
        lostRecords: countLines(lines),
      } satisfies QueueFailure);
    }
  });
  return draining;
}

async function run(request: DatabaseRequest): Promise<void> {
  let reply: DatabaseReply;
  try {
    if (request.op === 'execute') reply = { id: request.id, rows: await db.execute(request.sql, request.args) };
    else {
      if (request.op === 'batch') await db.batch(request.statements);
      else await drain();
      reply = { id: request.id, rows: [] };
    }
  } catch (error) {
    reply = { id: request.id, error: serialise(error) };
  }
  try {
    port.postMessage(reply);
  } catch (error) {
    // Rows that cannot be cloned: the caller gets the error instead of waiting for ever.
    port.postMessage({ id: request.id, error: serialise(error) });
  }
}

function serialise(error: unknown): SerialisedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code } = error as Error & { code?: unknown };
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}
