/**
 * The worker thread of openDatabaseThread (database-thread.ts): owns the libSQL client and runs
 * the statements it is sent. Started as database-worker.mjs from next to the code that starts
 * it: in the source tree that file loads this one through tsx; under `npm start` this file is
 * bundled to dist/server/database-worker.mjs beside node.mjs (scripts/node-bundle.mjs).
 *
 * workerData: { url }
 * messages out: { ready: true } once opened and migrated, or { failed: SerialisedError };
 * then, for each DatabaseRequest in, its DatabaseReply.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { DatabaseReply, DatabaseRequest, SerialisedError } from './database-thread.ts';
import { openLibsqlDatabase, type LibsqlDatabase } from './libsql.ts';
import { writeQuestions } from './question-log.ts';

const port = parentPort!;
const { url } = workerData as { url: string };

/**
 * The nice value of this thread. Writing a recorded question costs SQLite some 10 µs, about a
 * tenth of a cached answer, and on a busy machine that time is taken from answering. At a
 * lower priority the writes use the CPU answers leave idle; under sustained overload they fall
 * behind and the bounded queue of question-store.ts drops records, never answers.
 */
export const DATABASE_THREAD_NICE = 10;
lowerThreadPriority(DATABASE_THREAD_NICE);

let db: LibsqlDatabase;
try {
  db = await openLibsqlDatabase(url);
  port.postMessage({ ready: true });
  port.on('message', (request: DatabaseRequest) => void run(request));
} catch (error) {
  port.postMessage({ failed: serialise(error) });
}

async function run(request: DatabaseRequest): Promise<void> {
  let reply: DatabaseReply;
  try {
    if (request.op === 'execute') reply = { id: request.id, rows: await db.execute(request.sql, request.args) };
    else {
      if (request.op === 'batch') await db.batch(request.statements);
      else await writeQuestions(db, request.records);
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

/**
 * Linux keeps a nice value per thread, and a thread finds its own id in /proc/thread-self.
 * Elsewhere (no /proc, or per-process priorities) this does nothing.
 */
function lowerThreadPriority(nice: number): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, nice);
  } catch {
    // Not Linux, or not permitted: the thread keeps the process's priority.
  }
}

function serialise(error: unknown): SerialisedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code } = error as Error & { code?: unknown };
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}
