import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * How much nicer than the thread that starts it the database thread runs (database-worker.ts;
 * a thread starts with its creator's nice value). SQLite's work for each recorded question
 * is a fair share of what a cached answer costs (`npm run bench` reports both), and on a busy
 * machine that time is taken from answering. At a lower priority the scheduler favours
 * answering: the writes still get about a tenth of a busy core and catch up when the load
 * eases; under sustained overload they fall behind, and the ring the records wait in
 * (database-thread.ts) fills and drops records, never answers.
 */
export const DATABASE_THREAD_NICE_INCREMENT = 10;

/** The highest nice value Linux has (the lowest priority). */
export const MAX_NICE = 19;

/**
 * Lower the priority of the calling thread alone, by `increment` nice steps (at most to
 * MAX_NICE). Linux keeps a nice value per thread, and a thread finds its own id in
 * /proc/thread-self; elsewhere this does nothing.
 */
export function lowerThisThreadPriority(increment: number): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0)
      setPriority(threadId, Math.min(MAX_NICE, getPriority(threadId) + increment));
  } catch {
    // Not Linux, or not permitted: the thread keeps the process's priority.
  }
}
