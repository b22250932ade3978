import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * The nice value of the database thread (database-worker.ts). Writing a recorded question
 * costs SQLite some 10 µs, about a tenth of a cached answer, and on a busy machine that time
 * is taken from answering. At a lower priority the writes take the CPU answers leave idle;
 * under sustained overload they fall behind, and the bounded queue of question-store.ts then
 * drops records, never answers.
 */
export const DATABASE_THREAD_NICE = 10;

/**
 * Lower the priority of the calling thread alone. Linux keeps a nice value per thread, and a
 * thread finds its own id in /proc/thread-self; elsewhere this does nothing.
 */
export function lowerThisThreadPriority(nice: number): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, nice);
  } catch {
    // Not Linux, or not permitted: the thread keeps the process's priority.
  }
}
