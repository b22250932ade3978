import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveAnswerMode, type Config } from '../src/config.ts';

/** The error loadConfig throws for an environment (fails the test when it does not throw). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected loadConfig(${JSON.stringify(env)}) to throw`);
}

const defaults: Config = {
  PORT: 3000,
  HOST: '127.0.0.1',
  CORPUS_DIR: 'corpus',
  INDEX_DIR: 'data/index',
  EMBEDDINGS: 'local',
  EMBEDDINGS_MODEL: 'text-embedding-3-small',
  ANSWERS: 'auto',
  OPENAI_API_KEY: undefined,
  OPENAI_BASE_URL: undefined,
  CHAT_MODEL: 'gpt-4o-mini',
  RATE_LIMIT_PER_MINUTE: 60,
  REQUEST_TIMEOUT_MS: 30_000,
  ALLOWED_ORIGINS: [],
  MAX_CONCURRENT_UPSTREAM: 8,
  ANSWER_CACHE_ENTRIES: 1000,
  LOG_QUESTIONS: false,
  LOG_LEVEL: 'info',
  API_KEYS: [],
  LOG_FORMAT: 'auto',
  DATABASE_URL: 'file:data/ask-the-guide.db',
  RECORD_QUESTIONS: true,
  RETENTION_DAYS: 90,
  ADMIN_TOKEN: undefined,
};

describe('loadConfig', () => {
  it('applies the defaults to an empty environment', () => {
    expect(loadConfig({})).toEqual(defaults);
  });

  it('treats a variable set to the empty string as unset', () => {
    const empty = Object.fromEntries(Object.keys(defaults).map((k) => [k, '']));
    expect(loadConfig(empty)).toEqual(defaults);
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', SOMETHING_ELSE: 'x' })).toEqual(defaults);
  });

  it('parses every variable it is given', () => {
    // The variables that come back exactly as written, then the ones that are parsed.
    const asWritten = {
      HOST: '0.0.0.0',
      CORPUS_DIR: '/srv/corpus',
      INDEX_DIR: '/srv/index',
      EMBEDDINGS: 'openai',
      EMBEDDINGS_MODEL: 'nomic-embed-text',
      ANSWERS: 'extractive',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://localhost:11434/v1',
      CHAT_MODEL: 'llama3.1',
      LOG_LEVEL: 'silent',
      LOG_FORMAT: 'json',
      DATABASE_URL: 'file:/srv/data/guide.db',
      ADMIN_TOKEN: 'an-admin-token-of-some-length',
    } as const;
    const env = {
      ...asWritten,
      PORT: '8080',
      RATE_LIMIT_PER_MINUTE: '0',
      REQUEST_TIMEOUT_MS: '100',
      ALLOWED_ORIGINS: ' https://a.example , https://b.example,,',
      MAX_CONCURRENT_UPSTREAM: '1000',
      ANSWER_CACHE_ENTRIES: '0',
      LOG_QUESTIONS: 'TRUE',
      API_KEYS: ' key-one , key-two,,',
      RECORD_QUESTIONS: 'False',
      RETENTION_DAYS: '7',
    };
    expect(Object.keys(env).sort()).toEqual(Object.keys(defaults).sort());
    expect(loadConfig(env)).toEqual({
      ...asWritten,
      PORT: 8080,
      RATE_LIMIT_PER_MINUTE: 0,
      REQUEST_TIMEOUT_MS: 100,
      ALLOWED_ORIGINS: ['https://a.example', 'https://b.example'],
      MAX_CONCURRENT_UPSTREAM: 1000,
      ANSWER_CACHE_ENTRIES: 0,
      LOG_QUESTIONS: true,
      API_KEYS: ['key-one', 'key-two'],
      RECORD_QUESTIONS: false,
      RETENTION_DAYS: 7,
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('reads LOG_QUESTIONS=%s as %s', (value, expected) => {
    expect(loadConfig({ LOG_QUESTIONS: value }).LOG_QUESTIONS).toBe(expected);
  });

  it.each([
    ['PORT', 'abc', 'an integer from 0 to 65535'],
    ['PORT', '65536', 'an integer from 0 to 65535'],
    ['PORT', '80.5', 'an integer from 0 to 65535'],
    ['EMBEDDINGS', 'fast', '"local" or "openai"'],
    ['EMBEDDINGS', 'OpenAI', '"local" or "openai"'],
    ['ANSWERS', 'always', '"auto", "extractive" or "llm"'],
    ['OPENAI_BASE_URL', 'not a url', 'an absolute URL such as http://localhost:11434/v1'],
    ['RATE_LIMIT_PER_MINUTE', '-1', 'a whole number, 0 to turn rate limiting off'],
    ['REQUEST_TIMEOUT_MS', '99', 'milliseconds from 100 to 600000'],
    ['MAX_CONCURRENT_UPSTREAM', '0', 'a whole number from 1 to 1000'],
    ['LOG_QUESTIONS', 'yes', '"true" or "false"'],
    ['LOG_LEVEL', 'verbose', 'fatal, error, warn, info, debug, trace or silent'],
    ['LOG_FORMAT', 'text', '"auto" (readable lines on a terminal, JSON otherwise), "json" or "pretty"'],
    ['DATABASE_URL', 'data/guide.db', 'a libSQL URL such as file:data/ask-the-guide.db or libsql://host'],
    ['RECORD_QUESTIONS', 'no', '"true" or "false"'],
    ['RETENTION_DAYS', '0', 'a whole number of days from 1 to 36500'],
  ])('rejects %s=%s with one line naming the variable and what it accepts', (name, value, accepts) => {
    const error = configError({ [name]: value });
    expect(error.message).toBe(`Invalid ${name}=${JSON.stringify(value)}: expected ${accepts}`);
    expect(error.message).not.toContain('\n');
  });

  it('never echoes API_KEYS, even when one of them is invalid', () => {
    const error = configError({ API_KEYS: 'good-key,bad key-secret' });
    expect(error.message).toBe(
      'Invalid API_KEYS=(hidden): expected comma-separated keys of printable ASCII characters without spaces',
    );
    expect(error.message).not.toContain('secret');
  });

  it('never repeats the value of a secret in its error (it would end up in a log)', () => {
    const error = configError({ ADMIN_TOKEN: 'short-secret' });
    expect(error.message).toBe('Invalid ADMIN_TOKEN=(hidden): expected a secret of 16 to 512 characters');
  });

  it('names the first bad variable when several are bad', () => {
    expect(configError({ PORT: 'x', EMBEDDINGS: 'y' }).message).toMatch(/^Invalid PORT="x"/);
  });

  it('still names the variable when it has no description of what it accepts', () => {
    const error = configError({
      PORT: '1',
      HOST: undefined,
      EMBEDDINGS_MODEL: 'ok',
      CHAT_MODEL: 'ok',
      ALLOWED_ORIGINS: 42 as unknown as string,
    });
    expect(error.message).toMatch(/^Invalid ALLOWED_ORIGINS="?42"?: expected /);
    expect(error.message).not.toContain('\n');
  });
});

describe('resolveAnswerMode', () => {
  it('uses a model when one is configured and ANSWERS is auto', () => {
    expect(resolveAnswerMode(loadConfig({}))).toBe('extractive');
    expect(resolveAnswerMode(loadConfig({ OPENAI_API_KEY: 'sk' }))).toBe('llm');
    expect(resolveAnswerMode(loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1' }))).toBe('llm');
    expect(resolveAnswerMode(loadConfig({ OPENAI_API_KEY: '' }))).toBe('extractive');
  });

  it('honours an explicit ANSWERS', () => {
    expect(resolveAnswerMode(loadConfig({ ANSWERS: 'extractive', OPENAI_API_KEY: 'sk' }))).toBe('extractive');
    expect(resolveAnswerMode(loadConfig({ ANSWERS: 'llm' }))).toBe('llm');
  });
});
