import {
  closeSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Database } from './database.ts';
import { insertQuestionLines } from './question-log.ts';
import type { QuestionStage } from './staged-questions.ts';

/**
 * Recorded questions staged in a plain file beside a local SQLite database, until they are
 * moved into `questions` (staged-questions.ts). Appending a drain's question lines to a file
 * is one write of bytes already encoded; inserting them into SQLite, even as one BLOB row,
 * copies them into pages and WAL frames, several times the CPU (`npm run bench:recording`).
 * The file is SQLite's own idea of a write-ahead log, for lines: written under load, moved
 * into the database when the load pauses, and moved at the next open after a stop.
 *
 * Each thread that stages has its own file, named after its process and thread
 * (`questions.db-staged-<pid>-<thread>.jsonl`), so that servers sharing one database never
 * move each other's lines while they are being written. The file is opened for each append,
 * not held: a file removed or replaced while the server runs fails the next append (reported,
 * as any failed write is) instead of taking lines into an unlinked inode.
 */

/** Staging files this thread has open, by path: never leftovers, and never given twice. */
const openHere = new Set<string>();

const STAGED_SUFFIX = '.jsonl';

/** The staging files of the database at `databasePath` (`<database>-staged-<pid>-<thread>[-<n>].jsonl`), with their pids. */
export function stagingFilesOf(databasePath: string): Array<{ path: string; pid: number }> {
  const prefix = `${basename(databasePath)}-staged-`;
  const folder = dirname(databasePath);
  return readdirSync(folder).flatMap((name) => {
    if (!name.startsWith(prefix) || !name.endsWith(STAGED_SUFFIX)) return [];
    const pid = /^(\d+)-\d+(?:-\d+)?$/.exec(name.slice(prefix.length, -STAGED_SUFFIX.length))?.[1];
    return pid ? [{ path: join(folder, name), pid: Number(pid) }] : [];
  });
}

/** A staging file of `databasePath` for this thread, not in use by another of its databases. */
function claimStagingPath(databasePath: string): string {
  const stem = `${databasePath}-staged-${process.pid}-${threadId}`;
  let path = `${stem}${STAGED_SUFFIX}`;
  for (let n = 2; openHere.has(path); n++) path = `${stem}-${n}${STAGED_SUFFIX}`;
  openHere.add(path);
  return path;
}

/**
 * The stage of a database at `databasePath`: a file of its own for this thread. Call
 * moveLeftoverStagingFiles first, so that a leftover of this thread's name is not taken over.
 */
export function openStagingFile(db: Database, databasePath: string): QuestionStage & { close(): void } {
  const path = claimStagingPath(databasePath);
  return {
    async append(lines) {
      const fd = openSync(path, 'a');
      const before = fstatSync(fd).size;
      try {
        for (let written = 0; written < lines.length; )
          written += writeSync(fd, lines, written, lines.length - written);
      } catch (error) {
        // Cut a half-written drain off, so that the file holds whole lines for the move.
        try {
          ftruncateSync(fd, before);
        } catch {
          // The file cannot be written at all: the next move reads its whole lines.
        }
        throw error;
      } finally {
        closeSync(fd);
      }
    },
    async move() {
      await moveLines(db, path);
      // Only after the insert is committed: a crash in between moves the lines again at the
      // next open, and ids recorded already are kept as they are (INSERT OR IGNORE).
      truncateIfPresent(path);
    },
    close() {
      openHere.delete(path);
    },
  };
}

/**
 * Move into `questions` the lines that stopped servers left in staging files of
 * `databasePath`, and remove the files: those of processes no longer running, and this
 * process's own that no database of this thread has open (a server restarted in a container
 * often has the same pid). A running process's files are its own to move.
 */
export async function moveLeftoverStagingFiles(db: Database, databasePath: string): Promise<void> {
  for (const { path, pid } of stagingFilesOf(databasePath)) {
    if (openHere.has(path) || (pid !== process.pid && isRunning(pid))) continue;
    await moveLines(db, path);
    rmSync(path, { force: true });
  }
}

/**
 * Insert the whole lines of a staging file into `questions`, one statement per CHUNK_BYTES of
 * whole lines read from the file: however much a long load has staged, the move holds one
 * chunk in memory, not the whole file and the driver's copy of it (tens of MB at the 50,000
 * lines that start a move under load, which the database thread's heap would keep). SQLite
 * also unpacks a JSON array of a few hundred rows at about twice the speed of one of
 * megabytes. Each chunk commits on its own: a move cut short is done again in full, and ids
 * moved already are kept once (INSERT OR IGNORE). A last line that a crash cut short is left
 * out; a file that is gone (removed by hand, or by another process that moved it first) has
 * nothing to move, so a move never fails for ever on it.
 */
async function moveLines(db: Database, path: string): Promise<void> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  try {
    let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    // Bytes at the start of `chunk` that the last read left: a line not yet ended.
    let carried = 0;
    for (;;) {
      const read = readSync(fd, chunk, carried, chunk.length - carried, null);
      const filled = carried + read;
      const end = filled && chunk.lastIndexOf(NEWLINE, filled - 1) + 1;
      if (end > 0) {
        const { sql, args } = insertQuestionLines(chunk.subarray(0, end));
        await db.execute(sql, args);
      }
      if (read === 0) return;
      carried = filled - end;
      chunk.copy(chunk, 0, end, filled);
      // A line longer than a chunk (a question's length is bounded, so never in practice).
      if (carried === chunk.length) chunk = Buffer.concat([chunk, Buffer.allocUnsafe(chunk.length)]);
    }
  } finally {
    closeSync(fd);
  }
}

const CHUNK_BYTES = 128 * 1024;
const NEWLINE = 0x0a;

function truncateIfPresent(path: string): void {
  try {
    truncateSync(path, 0);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
