import type { Database } from './database.ts';
import {
  moveStagedQuestions,
  questionLines,
  stageQuestionLines,
  type QuestionRecord,
  type QuestionWriter,
} from './question-log.ts';
import { countLines } from './text-ring.ts';

const encoder = new TextEncoder();

/** Tunables of staged recording. */
export const STAGING_DEFAULTS = {
  /** Staged lines are moved into `questions` once no batch has come for this long. */
  idleMs: 250,
  /**
   * ... or at once when this many wait, so that a load that never pauses still has its lines
   * moved (in steps of this size, a fraction of a second of the database thread each).
   */
  maxStagedRows: 50_000,
} as const;

export interface StagingOptions {
  idleMs: number;
  maxStagedRows: number;
}

/** Where recorded questions wait, as question lines, until they are moved into `questions`. */
export interface QuestionStage {
  /** Keep UTF-8 question lines (whole lines) until the next move; all or nothing. */
  append(lines: Uint8Array): Promise<void>;
  /** Insert everything staged into `questions`, and forget it once that is committed. */
  move(): Promise<void>;
  close?(): void;
}

/** Staging in the database itself, in `question_batches`: for a database with no local file. */
export function tableStage(db: Database): QuestionStage {
  return {
    append: (lines) => db.batch([stageQuestionLines(lines)]),
    move: () => db.batch(moveStagedQuestions()),
  };
}

export type StagingDatabase = Database &
  QuestionWriter & {
    /** Stage records given as UTF-8 question lines (questionLines), as the database thread takes them. */
    recordQuestionLines(lines: Uint8Array): Promise<void>;
    /** Hear about moves of staged lines that failed (the lines wait for a later one). */
    onMoveFailure(listener: (error: unknown) => void): void;
    close(): void;
  };

/**
 * Recording in two steps, for a database on Node. Under load each batch of records is staged,
 * its UTF-8 question lines as they came: appended to a file beside a local database
 * (staging-file.ts), or else one row of `question_batches` (migrations/0003); when the load
 * pauses, the staged lines are moved into `questions`. Inserting a row into `questions`
 * (unpacking it, encoding its record, updating the id index) is most of what recording costs,
 * and this moves that work out of the busy periods instead of spreading it across them.
 *
 * Every other statement (the dashboard's reads, feedback, retention) runs only after the staged
 * lines are moved, so nothing reads around them. Lines staged when a process stopped are moved
 * when the database is next opened (openLibsqlDatabase).
 *
 * A move that fails (the database locked by another process, say) is reported to the
 * onMoveFailure listener, and the staged lines wait: it is tried again before the next batch,
 * which is staged all the same, and when the load pauses again. Only once maxStagedRows wait
 * does a batch fail with the move (the question store logs it with its count), so that
 * nothing grows without bound.
 */
export function withStagedRecording(
  db: Database & { close(): void },
  stage: QuestionStage,
  options: StagingOptions = STAGING_DEFAULTS,
  /** Run after each move, on a file whose WAL is not checkpointed automatically (libsql.ts). */
  afterMove: () => Promise<void> = async () => {},
): StagingDatabase {
  let staged = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let idleMoveFailed = false;
  let moveFailureListener: (error: unknown) => void = () => {};
  // One statement at a time, in order: a read never overtakes the move it waits for.
  let tail: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(work: () => Promise<T>): Promise<T> => {
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
  const moveStaged = async (): Promise<void> => {
    if (staged === 0) return;
    clearTimeout(idleTimer);
    await stage.move();
    staged = 0;
    // A checkpoint that fails leaves the rows in the WAL, where readers see them; the next
    // move tries again. It never fails the read or the batch that moved them.
    await afterMove().catch(() => {});
  };
  const moveWhenIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      inOrder(moveStaged).then(
        () => (idleMoveFailed = false),
        (error: unknown) => {
          idleMoveFailed = true;
          moveFailureListener(error);
        },
      );
    }, options.idleMs);
    // Staged lines are safe on disk: they never keep a process alive.
    (idleTimer as { unref?: () => void }).unref?.();
  };

  function recordQuestionLines(lines: Uint8Array): Promise<void> {
    return inOrder(async () => {
      if (!lines.length) return;
      if (idleMoveFailed || staged >= options.maxStagedRows) {
        try {
          await moveStaged();
          idleMoveFailed = false;
        } catch (error) {
          if (staged >= options.maxStagedRows) throw error;
          moveFailureListener(error);
        }
      }
      await stage.append(lines);
      staged += countLines(lines);
      moveWhenIdle();
    });
  }

  return {
    execute: (sql, args) =>
      inOrder(async () => {
        await moveStaged();
        return db.execute(sql, args);
      }),
    batch: (statements) =>
      inOrder(async () => {
        await moveStaged();
        await db.batch(statements);
      }),
    recordQuestionLines,
    onMoveFailure: (listener) => {
      moveFailureListener = listener;
    },
    recordQuestions: (records: QuestionRecord[]) => recordQuestionLines(encoder.encode(questionLines(records))),
    close: () => {
      clearTimeout(idleTimer);
      stage.close?.();
      db.close();
    },
  };
}
