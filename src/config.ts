import { z } from 'zod';

/**
 * Configuration, parsed once at the edge (process.env on Node, `env` on Workers).
 * Modules receive the typed result and never read the environment themselves.
 */

/** Treat `FOO=` (set but empty) the same as unset, so defaults apply. */
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess((v) => (v === '' || v === undefined ? fallback : v), z.coerce.number().int().min(min).max(max));

const booleanFlag = z.preprocess(
  (v) => (v === '' || v === undefined ? 'false' : String(v).toLowerCase()),
  z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
);

const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess((v) => (v === '' || v === undefined ? fallback : v), schema);

export const configSchema = z.object({
  PORT: integer(0, 65535, 3000),
  HOST: withDefault(z.string().min(1), '127.0.0.1'),
  CORPUS_DIR: withDefault(z.string().min(1), 'corpus'),
  INDEX_DIR: withDefault(z.string().min(1), 'data/index'),
  EMBEDDINGS: withDefault(z.enum(['local', 'openai']), 'local'),
  EMBEDDINGS_MODEL: withDefault(z.string().min(1), 'text-embedding-3-small'),
  ANSWERS: withDefault(z.enum(['auto', 'extractive', 'llm']), 'auto'),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/ }).optional()),
  CHAT_MODEL: withDefault(z.string().min(1), 'gpt-4o-mini'),
  RATE_LIMIT_PER_MINUTE: integer(0, 1_000_000, 60),
  REQUEST_TIMEOUT_MS: integer(100, 600_000, 30_000),
  ALLOWED_ORIGINS: withDefault(z.string(), '').transform((v) =>
    v
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  ),
  MAX_CONCURRENT_UPSTREAM: integer(1, 1000, 8),
  ANSWER_CACHE_ENTRIES: integer(0, 1_000_000, 1000),
  LOG_QUESTIONS: booleanFlag,
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  /** Keys for /v1 and /mcp; empty = open. Never logged. */
  API_KEYS: withDefault(z.string(), '')
    .transform((v) =>
      v
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[\x21-\x7e]+$/))),
  LOG_FORMAT: withDefault(z.enum(['auto', 'json', 'pretty']), 'auto'),
  DATABASE_URL: withDefault(z.string().regex(/^(file:|libsql:|https?:|wss?:)/), 'file:data/ask-the-guide.db'),
  RECORD_QUESTIONS: z.preprocess(
    (v) => (v === '' || v === undefined ? 'true' : String(v).toLowerCase()),
    z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1'),
  ),
  RETENTION_DAYS: integer(1, 36_500, 90),
  /** Enables /admin; at least 16 characters so that it cannot be guessed by trying. */
  ADMIN_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16).max(512).optional()),
});

export type Config = z.output<typeof configSchema>;
export type AnswerMode = 'extractive' | 'llm';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** What each variable accepts, for the one-line error message. */
const accepts: Partial<Record<keyof Config, string>> = {
  PORT: 'an integer from 0 to 65535',
  EMBEDDINGS: '"local" or "openai"',
  ANSWERS: '"auto", "extractive" or "llm"',
  OPENAI_BASE_URL: 'an absolute URL such as http://localhost:11434/v1',
  RATE_LIMIT_PER_MINUTE: 'a whole number, 0 to turn rate limiting off',
  REQUEST_TIMEOUT_MS: 'milliseconds from 100 to 600000',
  MAX_CONCURRENT_UPSTREAM: 'a whole number from 1 to 1000',
  ANSWER_CACHE_ENTRIES: 'a whole number, 0 to turn the answer cache off',
  LOG_QUESTIONS: '"true" or "false"',
  LOG_LEVEL: 'fatal, error, warn, info, debug, trace or silent',
  API_KEYS: 'comma-separated keys of printable ASCII characters without spaces',
  LOG_FORMAT: '"auto" (readable lines on a terminal, JSON otherwise), "json" or "pretty"',
  DATABASE_URL: 'a libSQL URL such as file:data/ask-the-guide.db or libsql://host',
  RECORD_QUESTIONS: '"true" or "false"',
  RETENTION_DAYS: 'a whole number of days from 1 to 36500',
  ADMIN_TOKEN: 'a secret of 16 to 512 characters',
};

/** Variables whose values never appear in a message: an error line goes to logs. */
const SECRETS: ReadonlySet<keyof Config> = new Set(['OPENAI_API_KEY', 'API_KEYS', 'ADMIN_TOKEN']);

/**
 * Parse configuration from an environment record. Throws a ConfigError whose message is one
 * line naming the variable and what it accepts, e.g.
 * `Invalid EMBEDDINGS="fast": expected "local" or "openai"`.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0]) as keyof Config;
  const got = SECRETS.has(name) ? '(hidden)' : JSON.stringify(env[name] ?? '');
  const expected = accepts[name] ?? issue.message;
  throw new ConfigError(`Invalid ${name}=${got}: expected ${expected}`);
}

/** `auto` means: a model server when one is configured, otherwise extractive answers. */
export function resolveAnswerMode(config: Config): AnswerMode {
  if (config.ANSWERS !== 'auto') return config.ANSWERS;
  return config.OPENAI_API_KEY || config.OPENAI_BASE_URL ? 'llm' : 'extractive';
}
