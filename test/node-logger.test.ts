import { describe, expect, it } from 'vitest';
import { createNodeLogger, prettyLine, resolveLogFormat } from '../src/node-logger.ts';
import { createApp } from '../src/server/app.ts';
import { askRequest } from './helpers/ask-request.ts';
import { appDeps } from './helpers/app-deps.ts';
import { useFixtureIndex } from './helpers/build-fixture-index.ts';

/**
 * The Node logger: readable lines on a terminal, JSON lines anywhere else or with
 * LOG_FORMAT=json; the access log through it, with /health at debug.
 */

const fixture = useFixtureIndex();

/** A stdout stand-in that keeps what is written; `isTTY` as a terminal or a pipe reports it. */
function sink(isTTY: boolean): { isTTY: boolean; text: string; write(text: string): boolean; lines(): string[] } {
  return {
    isTTY,
    text: '',
    write(text) {
      this.text += text;
      return true;
    },
    lines() {
      return this.text.split('\n').filter(Boolean);
    },
  };
}

const TIME = /^\d\d:\d\d:\d\d /;

describe('resolveLogFormat', () => {
  it('reads auto as readable lines on a terminal and JSON anywhere else; json and pretty as they say', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });
});

describe('prettyLine', () => {
  it('writes a request as time, method, route, status, ms, mode and outcome', () => {
    const pinoFields = { level: 30, time: Date.now(), pid: 1, hostname: 'h' };
    const request = { requestId: 'r-1', method: 'POST', route: '/ask', status: 200, ms: 3.1 };
    const line = prettyLine({ ...pinoFields, ...request, mode: 'extractive', support: 'related', grounded: true });
    expect(line).toMatch(TIME);
    expect(line.slice(9)).toBe('POST /ask 200 3.1 ms extractive related');
  });

  it('names the level when it is not info, and appends other fields as key=value', () => {
    const record = { level: 50, time: Date.now(), msg: 'refused index generation', generation: 'g-2' };
    const line = prettyLine({ ...record, reason: 'bad checksum' });
    expect(line.slice(9)).toBe('ERROR refused index generation generation=g-2 reason="bad checksum"');
  });
});

describe('createNodeLogger', () => {
  it('writes JSON lines when stdout is not a terminal', () => {
    const out = sink(false);
    const logger = createNodeLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'auto' }, out);
    logger.info({ chunks: 50 }, 'serving index generation');
    expect(logger.format).toBe('json');
    expect(JSON.parse(out.lines()[0]!)).toMatchObject({ level: 30, chunks: 50, msg: 'serving index generation' });
  });

  it('writes JSON lines on a terminal too with LOG_FORMAT=json', () => {
    const out = sink(true);
    createNodeLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, out).warn({ a: 1 }, 'x');
    expect(JSON.parse(out.lines()[0]!)).toMatchObject({ level: 40, a: 1, msg: 'x' });
  });

  it('writes one readable line per record on a terminal, after redacting secrets', () => {
    const out = sink(true);
    const logger = createNodeLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'auto' }, out);
    logger.info({ upstream: { apiKey: 'sk-SECRET' } }, 'calling the model');
    expect(logger.format).toBe('pretty');
    expect(out.lines()).toHaveLength(1);
    expect(out.text).toMatch(TIME);
    expect(out.text).toContain('calling the model');
    expect(out.text).not.toContain('sk-SECRET');
    expect(() => JSON.parse(out.lines()[0]!)).toThrow();
  });
});

describe('the access log through the Node logger', () => {
  it('writes one readable line per /ask request with mode and outcome, and /health only at debug', async () => {
    for (const level of ['info', 'debug'] as const) {
      const out = sink(true);
      const logger = createNodeLogger({ LOG_LEVEL: level, LOG_FORMAT: 'auto' }, out);
      const app = createApp(appDeps(fixture.index, { logger }));
      await (await app.request('/health')).text();
      await (await app.request('/ask', askRequest({ question: 'What side project should I build?' }))).text();
      await (await app.request('/ask', askRequest({ question: 'How long should I bake sourdough bread?' }))).text();

      const lines = out.lines();
      expect(lines.filter((l) => / POST \/ask 200 [\d.]+ ms extractive answered$/.test(l))).toHaveLength(1);
      expect(lines.filter((l) => / POST \/ask 200 [\d.]+ ms extractive none$/.test(l))).toHaveLength(1);
      const health = lines.filter((l) => l.includes('/health'));
      if (level === 'info') expect(health).toEqual([]);
      else expect(health).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d DEBUG GET \/health 200 [\d.]+ ms$/)]);
      expect(lines).toHaveLength(level === 'info' ? 2 : 3);
    }
  });
});
