/** The logging surface the app needs; pino on Node, JSON lines to the console on Workers. */
export interface Logger {
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

/** A Logger that writes one JSON object per line with console (Workers have no pino). */
export function consoleJsonLogger(level: string = 'info'): Logger {
  const order = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
  const min = level === 'silent' ? Infinity : order.indexOf(level);
  const write = (lvl: string) => (fields: Record<string, unknown>, msg?: string) => {
    if (order.indexOf(lvl) < min) return;
    console.log(JSON.stringify({ level: lvl, time: Date.now(), ...fields, msg }));
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
