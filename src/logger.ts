/**
 * The logging surface every layer may use, with no platform code: pino on Node
 * (src/node-logger.ts), JSON lines through console on Workers (and in tests, where vitest
 * shows them for a failing test only).
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message?: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/** A Logger that writes one JSON object per line with console (Workers have no pino). */
export function consoleJsonLogger(level: LogLevel = 'info'): Logger {
  const min = level === 'silent' ? Infinity : LEVELS.indexOf(level);
  const write = (lvl: string) => (fields: Record<string, unknown>, msg?: string) => {
    if (LEVELS.indexOf(lvl) < min) return;
    console.log(JSON.stringify({ level: lvl, time: Date.now(), ...fields, msg }));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A Logger that drops everything, for callers that must pass one and want no output. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
