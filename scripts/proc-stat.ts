/**
 * CPU times from Linux's /proc stat files (proc(5)), for the benchmarks. Each file is
 * "pid (comm) state ..." and the command name may hold spaces, so fields are counted after its
 * closing parenthesis: state is 0, utime 11, stime 12, cutime 13, cstime 14.
 */
import { readFile } from 'node:fs/promises';

/** Clock ticks a second (USER_HZ), in which /proc counts CPU time: 100 on Linux. */
export const CLOCK_TICKS = 100;

/** Fields after "pid (comm) " of a stat file; null when it cannot be read (the task ended, not Linux). */
export async function statFields(path: string): Promise<string[] | null> {
  const stat = await readFile(path, 'utf8').catch(() => null);
  return stat === null ? null : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Ticks as ms. */
export const ticksToMs = (ticks: number): number => (ticks * 1000) / CLOCK_TICKS;

/** User + system CPU of the process or thread whose stat file this is, in ms; NaN when unreadable. */
export async function cpuMs(path: string): Promise<number> {
  const fields = await statFields(path);
  return fields ? ticksToMs(Number(fields[11]) + Number(fields[12])) : Number.NaN;
}
