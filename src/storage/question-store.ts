import type { Logger } from '../logger.ts';
import type { Database } from './database.ts';
import {
  deleteOlderThan,
  saveFeedback,
  writeQuestions,
  type Feedback,
  type QuestionQueue,
  type QuestionRecord,
  type QuestionWriter,
} from './question-log.ts';

/** The database could not be reached or written; the route answers 503 storage_unavailable. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}

/** Lets a write outlive the response (`executionCtx.waitUntil` on Workers). */
export type WaitUntil = (promise: Promise<unknown>) => void;

export interface QuestionStoreOptions {
  /** Opens (and migrates) the database; called again after a failure. */
  connect: () => Promise<StoreDatabase>;
  logger: Logger;
  /** RECORD_QUESTIONS: when false nothing is written, feedback included. */
  recording: boolean;
  retentionDays: number;
  /**
   * `queue` (Node): records are written in batches, off the request: through the database
   * thread's own queue (database-thread.ts) once it is open, and until then (or on a database
   * without one) from a bounded in-memory queue. `waitUntil`
   * (Workers): each record is written on its own, in the request's waitUntil, because an
   * isolate may be frozen or evicted between requests.
   */
  writes: 'queue' | 'waitUntil';
  now?: () => number;
}

/** A database the store can use: any, with a writer or a queue of its own when it has one. */
export type StoreDatabase = Database & Partial<QuestionWriter> & Partial<QuestionQueue>;

/** Tunables of the write path. */
export const STORE_DEFAULTS = {
  /** Records waiting beyond this are dropped (and counted in the next error), not buffered without bound. */
  maxPending: 20_000,
  /**
   * A batch is written this long after its first record, or at once when it is this large.
   * Larger batches share the cost of a transaction; smaller ones keep records from living
   * long enough on the server's heap to be promoted out of its young generation.
   */
  flushDelayMs: 100,
  flushSize: 500,
  /** After a failed open, uses fail at once for this long: on Node an open starts a thread. */
  reconnectDelayMs: 5_000,
  /** A failing database logs at most one error per this period. */
  errorLogIntervalMs: 60_000,
  pruneIntervalMs: 86_400_000,
} as const;

/**
 * Recorded questions and feedback, kept off the answer's critical path: `record` never waits
 * and never throws. A failing database costs one error line a minute at most; answers go on.
 * Old rows are deleted at first use and then daily (checked on each write or read).
 */
export class QuestionStore {
  readonly recording: boolean;
  /** True when `record` needs the request's waitUntil to finish its write. */
  readonly needsWaitUntil: boolean;
  private db: Promise<StoreDatabase> | null = null;
  /** The open database's own queue, used from the moment it is open. */
  private queue: QuestionQueue | null = null;
  private failedOpen: { error: unknown; at: number } | null = null;
  private pending: QuestionRecord[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dropped = 0;
  private lastPrune = -Infinity;
  private lastErrorLog = -Infinity;
  private suppressedErrors = 0;
  private readonly now: () => number;

  get retentionDays(): number {
    return this.options.retentionDays;
  }

  constructor(private readonly options: QuestionStoreOptions) {
    this.recording = options.recording;
    this.needsWaitUntil = options.writes === 'waitUntil';
    this.now = options.now ?? Date.now;
  }

  /** Record an answered question, to be written later. Never throws, never waits. */
  record(entry: QuestionRecord, waitUntil?: WaitUntil): void {
    if (!this.recording) return;
    if (this.options.writes === 'waitUntil') {
      const write = this.write([entry]);
      if (waitUntil) waitUntil(write);
      return;
    }
    if (this.queue) {
      if (!this.queue.queueQuestion(entry)) this.dropOne();
      return;
    }
    if (this.pending.length >= STORE_DEFAULTS.maxPending) {
      this.dropOne();
      return;
    }
    this.pending.push(entry);
    if (this.pending.length >= STORE_DEFAULTS.flushSize) this.scheduleFlush(0);
    else this.scheduleFlush(STORE_DEFAULTS.flushDelayMs);
  }

  /** Write everything recorded so far; resolves when it is written (or has failed and been logged). */
  async flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      // One write at a time, in order: a batch never overtakes the one before it.
      this.writing = this.writing.then(() => this.write(batch));
    }
    await this.writing;
    await this.queue?.drainQueue().catch((error: unknown) => this.logFailure(error));
  }

  /**
   * Save a reader's rating. False when no answer with that id was recorded (recording off
   * included). Throws StorageUnavailableError when the database fails.
   */
  async saveFeedback(feedback: Omit<Feedback, 'ratedAt'>): Promise<boolean> {
    if (!this.recording) return false;
    // The answer being rated may still be waiting in the queue.
    await this.flush();
    return this.use((db) => saveFeedback(db, { ...feedback, ratedAt: this.now() }));
  }

  /** Run a read (the dashboard's) against the database. Throws StorageUnavailableError when it fails. */
  async read<T>(query: (db: Database) => Promise<T>): Promise<T> {
    await this.flush();
    return this.use(async (db) => {
      await this.pruneIfDue(db);
      return query(db);
    });
  }

  /** Open, migrate and prune now (Node calls this at start), logging rather than throwing a failure. */
  async start(): Promise<void> {
    await this.connected()
      .then((db) => this.pruneIfDue(db))
      .catch((error: unknown) => this.logFailure(error));
  }

  private dropOne(): void {
    this.dropped++;
    this.logFailure(new Error('the write queue is full (the database is too slow)'));
  }

  private scheduleFlush(delayMs: number): void {
    if (this.flushTimer !== undefined && delayMs > 0) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => void this.flush(), delayMs);
    // Pending records never keep a process alive; node.ts flushes them on shutdown.
    (this.flushTimer as { unref?: () => void }).unref?.();
  }

  private async write(batch: QuestionRecord[]): Promise<void> {
    try {
      const db = await this.connected();
      await writeQuestions(db, batch);
      await this.pruneIfDue(db);
    } catch (error) {
      this.logFailure(error, batch.length);
    }
  }

  private async use<T>(query: (db: Database) => Promise<T>): Promise<T> {
    try {
      return await query(await this.connected());
    } catch (error) {
      this.logFailure(error);
      throw new StorageUnavailableError('the database failed', { cause: error });
    }
  }

  private async pruneIfDue(db: Database): Promise<void> {
    const now = this.now();
    if (now - this.lastPrune < STORE_DEFAULTS.pruneIntervalMs) return;
    await db.batch(deleteOlderThan(now - this.options.retentionDays * 86_400_000));
    this.lastPrune = now;
  }

  /** The open database; a failed open is forgotten so that a use after reconnectDelayMs tries again. */
  private connected(): Promise<StoreDatabase> {
    if (!this.db) {
      const failed = this.failedOpen;
      if (failed && this.now() - failed.at < STORE_DEFAULTS.reconnectDelayMs) return Promise.reject(failed.error);
      this.db = this.options.connect();
      this.db.then(
        (db) => {
          this.failedOpen = null;
          db.onMoveFailure?.((error) => this.logFailure(error));
          if (db.queueQuestion && db.drainQueue && db.onQueueFailure) {
            db.onQueueFailure((error, lostRecords) => this.logFailure(error, lostRecords));
            this.queue = db as QuestionQueue;
          }
        },
        (error: unknown) => {
          this.db = null;
          this.failedOpen = { error, at: this.now() };
        },
      );
    }
    return this.db;
  }

  private logFailure(error: unknown, lostRecords = 0): void {
    const now = this.now();
    if (now - this.lastErrorLog < STORE_DEFAULTS.errorLogIntervalMs) {
      this.suppressedErrors++;
      return;
    }
    this.lastErrorLog = now;
    this.options.logger.error(
      {
        err: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        lostRecords,
        droppedWhileQueueFull: this.dropped,
        similarErrorsSinceLastLog: this.suppressedErrors,
      },
      'the question database failed; answers go on',
    );
    this.suppressedErrors = 0;
    this.dropped = 0;
  }
}
