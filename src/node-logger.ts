/**
 * The Node server's logger: pino, writing JSON lines (for log collectors, and whenever stdout
 * is not a terminal) or one readable line per record on a terminal. Node-only (pino); the
 * Worker logs with consoleJsonLogger from logger.ts.
 *
 * Readable lines come from a small pino destination of our own rather than pino-pretty: one
 * request is one line of the fields we choose (pino-pretty prints a record over several lines,
 * or one line ending in JSON), it costs no dependency and no worker thread at start-up, and it
 * sees records after pino's redaction, so a secret cannot reach the terminal either.
 */
import pino from 'pino';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

export type LogFormat = 'json' | 'pretty';

/** Where records go: anything with write(), as process.stdout. */
export interface LineSink {
  write(text: string): unknown;
}

/** `auto` means readable lines on a terminal and JSON lines anywhere else (a pipe, a file, a collector). */
export function resolveLogFormat(setting: Config['LOG_FORMAT'], isTerminal: boolean): LogFormat {
  if (setting !== 'auto') return setting;
  return isTerminal ? 'pretty' : 'json';
}

/** Fields that must never be written, wherever they appear one level down (pino's redact paths). */
const REDACT = ['*.apiKey', '*.OPENAI_API_KEY', '*.authorization'];

/**
 * The Node logger for this configuration. JSON goes to stdout through pino's own destination
 * (sonic-boom), as before there was a choice; readable lines go through `out.write`.
 */
export function createNodeLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  out: LineSink & { isTTY?: boolean } = process.stdout,
): Logger & { format: LogFormat } {
  const format = resolveLogFormat(config.LOG_FORMAT, out.isTTY === true);
  const options = { level: config.LOG_LEVEL, redact: REDACT };
  const destination = format === 'json' ? out : prettyDestination(out);
  const logger: Logger = destination === process.stdout ? pino(options) : pino(options, destination);
  return Object.assign(logger, { format });
}

/** A pino destination that turns each JSON record into one readable line. */
export function prettyDestination(out: LineSink): { write(line: string): void } {
  return {
    write(line) {
      out.write(`${prettyLine(JSON.parse(line) as Record<string, unknown>)}\n`);
    },
  };
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** pino's own fields, and the access log's fields that prettyLine places itself. */
const PLACED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'requestId', 'method', 'route', 'status', 'ms']);
/** The outcome fields of an /ask record: support is written, grounded follows from it. */
const OUTCOME = new Set(['mode', 'support', 'grounded']);

/**
 * One record as one line. A request (the access log) reads
 * `14:02:07 POST /ask 200 3.1 ms extractive answered`; anything else reads
 * `14:02:07 serving index generation generation=… chunks=50`, with its level named when it
 * is not info.
 */
export function prettyLine(record: Record<string, unknown>): string {
  const time = typeof record.time === 'number' ? new Date(record.time).toTimeString().slice(0, 8) : '--:--:--';
  const level = typeof record.level === 'number' ? record.level : 30;
  const head = [time];
  if (level !== 30) head.push(LEVEL_NAMES[level] ?? String(level));
  if (typeof record.method === 'string' && typeof record.status === 'number') {
    head.push(record.method, String(record.route), String(record.status), `${String(record.ms)} ms`);
    if (record.mode !== undefined) head.push(String(record.mode));
    if (record.support !== undefined) head.push(String(record.support));
  } else if (record.msg !== undefined) {
    head.push(String(record.msg));
  }
  const rest = Object.entries(record)
    .filter(([key, value]) => !PLACED.has(key) && !OUTCOME.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${plainValue(value)}`);
  return [...head, ...rest].join(' ');
}

/** A value as written in a line: bare when it is one plain word, JSON otherwise. */
function plainValue(value: unknown): string {
  return typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
}
