/**
 * The Node database on a thread of its own: the libSQL client runs in a worker thread
 * (database-worker.ts) behind the same Database surface. On a `file:` URL the libSQL driver
 * runs each statement synchronously on the thread that calls it; on the server's thread that
 * would be taken from answering (`npm run bench` reports the answering thread's CPU apart from
 * the process's).
 *
 * Recorded questions do not even cost a message: each is a line pushed into a ring in shared
 * memory (text-ring.ts), which the database thread empties on its own every DRAIN_INTERVAL_MS.
 * The ring outlives a worker that dies, so the next one writes what it held.
 */
import { Worker } from 'node:worker_threads';
import type { Row, SqlStatement, SqlValue } from './database.ts';
import type { LibsqlDatabase } from './libsql.ts';
import { questionLine, type QuestionQueue } from './question-log.ts';
import { createTextRingBuffer, TextRing } from './text-ring.ts';

export type DatabaseRequest =
  | { id: number; op: 'execute'; sql: string; args?: SqlValue[] }
  | { id: number; op: 'batch'; statements: SqlStatement[] }
  /** Write what the ring holds now. */
  | { id: number; op: 'drain' };

export type DatabaseReply = { id: number; rows: Row[] } | { id: number; error: SerialisedError };

/** Sent by the worker, unasked, when it failed to write lines it took from the ring. */
export interface QueueFailure {
  queueFailure: SerialisedError;
  lostRecords: number;
}

export interface DatabaseWorkerData {
  url: string;
  ring: SharedArrayBuffer;
}

/** How often the database thread empties the ring. */
export const DRAIN_INTERVAL_MS = 100;
/** The ring's size: at about 300 bytes a record, some 14,000 records (over a second at full load). */
const RING_BYTES = 4 * 1024 * 1024;

export interface SerialisedError {
  name: string;
  message: string;
  /** The driver's error code (SQLITE_BUSY, SQLITE_READONLY, ...), kept for the log. */
  code?: string;
}

/** After a worker fails to start, calls fail at once for this long rather than start another. */
const RESTART_BACKOFF_MS = 5_000;

/** A request before it is numbered (Omit on each member: Omit of a union would merge them). */
type Request = DatabaseRequest extends infer R ? (R extends DatabaseRequest ? Omit<R, 'id'> : never) : never;

interface DatabaseWorker {
  call(request: Request): Promise<Row[]>;
  /** Set once the worker has died; every call after it fails. */
  readonly dead: Error | null;
  close(): void;
}

/**
 * Start the worker, which opens (creating its folder and file when needed) and migrates the
 * database at `url`. Rejects when it cannot be opened or migrated, as openLibsqlDatabase does.
 * A worker that dies later fails what was waiting on it, and the next call starts a new one.
 */
export async function openDatabaseThread(
  url: string,
  // Beside this module in either layout (see database-worker.mjs); tests give a stand-in.
  workerFile: URL = new URL('./database-worker.mjs', import.meta.url),
): Promise<LibsqlDatabase & QuestionQueue> {
  const ringBuffer = createTextRingBuffer(RING_BYTES);
  const ring = new TextRing(ringBuffer);
  let queueFailureListener: (error: Error, lostRecords: number) => void = () => {};
  const startWorker = () =>
    startWorkerThread(workerFile, { url, ring: ringBuffer }, (failure) =>
      queueFailureListener(revive(failure.queueFailure), failure.lostRecords),
    );
  let current = await startWorker();
  let restarting: Promise<DatabaseWorker> | null = null;
  let failedStart: { error: unknown; at: number } | null = null;
  let closed = false;

  const live = (): Promise<DatabaseWorker> => {
    if (closed) return Promise.reject(new Error('the database is closed'));
    if (!current.dead) return Promise.resolve(current);
    // A database that cannot be opened would otherwise cost a new thread on every write.
    if (failedStart && Date.now() - failedStart.at < RESTART_BACKOFF_MS) return Promise.reject(failedStart.error);
    restarting ??= startWorker()
      .then((worker) => {
        if (closed) {
          worker.close();
          throw new Error('the database is closed');
        }
        failedStart = null;
        return (current = worker);
      })
      .catch((error: unknown) => {
        failedStart = { error, at: Date.now() };
        throw error;
      })
      .finally(() => (restarting = null));
    return restarting;
  };

  return {
    execute: async (sql, args) => (await live()).call({ op: 'execute', sql, args }),
    batch: async (statements) => {
      await (await live()).call({ op: 'batch', statements });
    },
    queueQuestion: (record) => {
      if (closed) return false;
      // Only the worker empties the ring: a dead one is replaced now (within the restart
      // backoff), not when a read next comes, so records keep flowing.
      if (current.dead) live().catch(() => {});
      return ring.push(questionLine(record));
    },
    drainQueue: async () => {
      await (await live()).call({ op: 'drain' });
    },
    onQueueFailure: (listener) => {
      queueFailureListener = listener;
    },
    close: () => {
      closed = true;
      current.close();
    },
  } satisfies LibsqlDatabase & QuestionQueue;
}

async function startWorkerThread(
  workerFile: URL,
  workerData: DatabaseWorkerData,
  onQueueFailure: (failure: QueueFailure) => void,
): Promise<DatabaseWorker> {
  const worker = new Worker(workerFile, {
    workerData,
    execArgv: [],
    // Its garbage is batches that die young: a small nursery keeps the thread's memory small.
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  await new Promise<void>((resolve, reject) => {
    const started = (message: { ready?: true; failed?: SerialisedError }) => {
      worker.off('error', reject).off('exit', exited);
      if (message.ready) resolve();
      else reject(revive(message.failed ?? { name: 'Error', message: 'the database worker failed to start' }));
    };
    const exited = (code: number) => reject(new Error(`the database worker exited with code ${code}`));
    worker.once('message', started).once('error', reject).once('exit', exited);
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });

  const pending = new Map<number, { resolve: (rows: Row[]) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let dead: Error | null = null;
  const fail = (error: Error) => {
    dead ??= error;
    for (const { reject } of pending.values()) reject(dead);
    pending.clear();
  };
  worker.on('message', (reply: DatabaseReply | QueueFailure) => {
    if ('queueFailure' in reply) return onQueueFailure(reply);
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if ('error' in reply) waiting.reject(revive(reply.error));
    else waiting.resolve(reply.rows);
  });
  worker.on('error', fail);
  worker.on('messageerror', fail);
  worker.on('exit', (code) => fail(new Error(`the database worker exited with code ${code}`)));
  // An idle worker never keeps the process alive; one with work in flight does, so that the
  // flush at shutdown is written before the process exits.
  worker.unref();

  return {
    get dead() {
      return dead;
    },
    call(request) {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise<Row[]>((resolve, reject) => {
        try {
          worker.postMessage({ ...request, id });
        } catch (error) {
          // Something that cannot be cloned: this call fails, the worker serves on.
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        pending.set(id, { resolve, reject });
        worker.ref();
      });
    },
    close() {
      fail(new Error('the database is closed'));
      void worker.terminate();
    },
  };
}

function revive({ name, message, code }: SerialisedError): Error {
  const error = new Error(message) as Error & { code?: string };
  error.name = name;
  if (code) error.code = code;
  return error;
}
