import { execFile } from 'node:child_process';
import { appendFile, chmod, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AskResponse } from '../../src/rag/types.ts';
import { createApp } from '../../src/server/app.ts';
import { MemoryRateLimiter } from '../../src/server/rate-limiter.ts';
import { readAllQuestions, readSummary } from '../../src/storage/question-log.ts';
import { appDeps } from '../helpers/app-deps.ts';
import { askRequest } from '../helpers/ask-request.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';
import { databaseUrl, fileStore, recordingLogger } from '../helpers/question-store.ts';
import { parseSse } from '../helpers/sse.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

/**
 * Recording of /ask and POST /feedback, in process (app.request) on a real SQLite file.
 */

const fixture = useFixtureIndex();
const tempDir = useTempDirs('atg-feedback-');

type App = ReturnType<typeof createApp>;

const ANSWERED = 'How do I move from sales into product?';
const NOT_COVERED = 'What is the boiling point of mercury?';

async function appWithStore(
  options: Parameters<typeof fileStore>[1] = {},
  overrides: Parameters<typeof appDeps>[1] = {},
) {
  const { store, opened } = fileStore(databaseUrl(await tempDir()), options);
  const app = createApp(appDeps(fixture.index, { store, ...overrides }));
  return { app, store, close: () => opened.forEach((db) => db.close()) };
}

async function ask(app: App, question: string): Promise<AskResponse> {
  const res = await app.request('/ask', askRequest({ question }));
  expect(res.status).toBe(200);
  return (await res.json()) as AskResponse;
}

const postFeedback = (app: App, body: unknown, init: RequestInit = {}) =>
  app.request('/feedback', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });

describe('recording /ask', () => {
  it('records each answer with its question, outcome, cited sections, mode, latency and generation', async () => {
    const { app, store, close } = await appWithStore();
    const answered = await ask(app, ANSWERED);
    const none = await ask(app, NOT_COVERED);
    const rows = await store.read(readAllQuestions);
    expect(rows.map((r) => [r.id, r.question, r.outcome, r.mode, r.generation])).toEqual([
      [answered.id, ANSWERED, answered.support, 'extractive', fixture.index.generation],
      [none.id, NOT_COVERED, 'none', 'extractive', fixture.index.generation],
    ]);
    expect(answered.support).toBe('answered');
    const cited = [...new Set(answered.citations.map((c) => `${c.document} § ${c.section}`))].join('; ');
    expect(rows[0]!.sections).toBe(cited);
    expect(rows[0]!.latencyMs).toBeGreaterThan(0);
    expect(rows[1]!.sections).toBe('');
    close();
  });

  it('records an SSE answer when its stream ends, under the id of its done event', async () => {
    const { app, store, close } = await appWithStore();
    const res = await app.request('/ask', askRequest({ question: ANSWERED }, true));
    const events = parseSse(await res.text());
    const done = JSON.parse(events.at(-1)!.data) as AskResponse;
    await expect.poll(async () => (await store.read(readAllQuestions)).map((r) => r.id)).toEqual([done.id]);
    close();
  });

  it('stores no client address and no key, whatever the request carried', async () => {
    const { app, store, close } = await appWithStore({}, { clientAddress: () => '198.51.100.23' });
    await app.request('/ask', {
      ...askRequest({ question: ANSWERED }),
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Bearer sk-secret-key-123',
        'X-Forwarded-For': '198.51.100.23',
      },
    });
    const dump = JSON.stringify(await store.read((db) => db.execute('SELECT * FROM questions')));
    expect(dump).toContain(ANSWERED);
    expect(dump).not.toContain('198.51.100.23');
    expect(dump).not.toContain('sk-secret');
    close();
  });

  it('records the answers of /v1/chat/completions (JSON and streamed) and of MCP ask_guide, under the ids they were sent with', async () => {
    const { app, store, close } = await appWithStore();
    const completion = async (stream: boolean) =>
      app.request('/v1/chat/completions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'ask-the-guide', stream, messages: [{ role: 'user', content: ANSWERED }] }),
      });
    const json = (await (await completion(false)).json()) as { id: string };
    const chunks = parseSse(await (await completion(true)).text()).filter((e) => e.data !== '[DONE]');
    const streamed = JSON.parse(chunks[0]!.data) as { id: string };
    const mcp = await app.request('/mcp', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'ask_guide', arguments: { question: NOT_COVERED } },
      }),
    });
    const tool = (await mcp.json()) as { result: { structuredContent: AskResponse } };

    const rows = await store.read(readAllQuestions);
    expect(rows.map((r) => [r.id, r.question, r.outcome])).toEqual([
      [json.id, ANSWERED, 'answered'],
      [streamed.id, ANSWERED, 'answered'],
      [tool.result.structuredContent.id, NOT_COVERED, 'none'],
    ]);
    expect(rows[1]!.sections).not.toBe('');
    for (const { id } of rows) expect((await postFeedback(app, { id, rating: 'down' })).status).toBe(200);
    close();
  });

  it('RECORD_QUESTIONS=false records nothing, and feedback then finds no answer', async () => {
    const { app, store, close } = await appWithStore({ recording: false });
    const answer = await ask(app, ANSWERED);
    await (await app.request('/ask', askRequest({ question: ANSWERED }, true))).text();
    expect((await postFeedback(app, { id: answer.id, rating: 'up' })).status).toBe(404);
    const counts = await store.read((db) =>
      db.execute('SELECT (SELECT count(*) FROM questions) AS q, (SELECT count(*) FROM feedback) AS f'),
    );
    expect(counts).toEqual([{ q: 0, f: 0 }]);
    close();
  });
});

describe('POST /feedback', () => {
  it('saves a rating and a comment for an answer; a second rating replaces the first', async () => {
    const { app, store, close } = await appWithStore();
    const answer = await ask(app, ANSWERED);
    const up = await postFeedback(app, { id: answer.id, rating: 'up' });
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ id: answer.id, rating: 'up' });
    const down = await postFeedback(app, { id: answer.id, rating: 'down', comment: '  Missed the\u0000 point  ' });
    expect(down.status).toBe(200);
    const [row] = await store.read(readAllQuestions);
    expect(row).toMatchObject({ rating: 'down', comment: 'Missed the point' });
    expect((await store.read(readSummary)).feedback).toEqual({ up: 0, down: 1 });
    close();
  });

  it('404 not_found for an id no answer had', async () => {
    const { app, close } = await appWithStore();
    const res = await postFeedback(app, { id: 'no-such-answer', rating: 'up' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    close();
  });

  it.each([
    [{ id: 'x', rating: 'meh' }, 'rating'],
    [{ id: 'x' }, 'rating'],
    [{ rating: 'up' }, 'id'],
    [{ id: 'x', rating: 'up', comment: 'x'.repeat(1001) }, 'comment'],
    [{ id: 'x', rating: 'up', extra: 1 }, 'body'],
  ])('400 invalid_request naming the field for %j', async (body, field) => {
    const { app, close } = await appWithStore();
    const res = await postFeedback(app, body);
    expect(res.status).toBe(400);
    const error = ((await res.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('invalid_request');
    if (field !== 'body') expect(error.message).toMatch(new RegExp(`^${field}`));
    close();
  });

  it('accepts a comment of exactly 1000 characters', async () => {
    const { app, close } = await appWithStore();
    const answer = await ask(app, ANSWERED);
    expect((await postFeedback(app, { id: answer.id, rating: 'down', comment: 'é'.repeat(1000) })).status).toBe(200);
    close();
  });

  it('has the body limit and content-type rule of /ask', async () => {
    const { app, close } = await appWithStore();
    const big = await postFeedback(app, { id: 'x', rating: 'down', comment: 'a'.repeat(17 * 1024) });
    expect(big.status).toBe(413);
    const text = await app.request('/feedback', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(text.status).toBe(415);
    close();
  });

  it('is rate limited per client like /ask, in its own count', async () => {
    const { app, close } = await appWithStore({}, { rateLimiter: new MemoryRateLimiter(2) });
    const answer = await ask(app, ANSWERED);
    expect((await postFeedback(app, { id: answer.id, rating: 'up' })).status).toBe(200);
    expect((await postFeedback(app, { id: answer.id, rating: 'up' })).status).toBe(200);
    const limited = await postFeedback(app, { id: answer.id, rating: 'up' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    // /ask had one request of its two: still allowed.
    expect((await app.request('/ask', askRequest({ question: ANSWERED }))).status).toBe(200);
    close();
  });

  it('is described in /openapi.json with its schema', async () => {
    const { app, close } = await appWithStore();
    const doc = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(Object.keys(doc.paths['/feedback']!.post!.responses)).toEqual(
      expect.arrayContaining(['200', '400', '404', '429', '503']),
    );
    expect(doc.components.schemas.FeedbackRequest!.properties).toMatchObject({
      rating: { enum: ['up', 'down'] },
      comment: { type: 'string' },
    });
    close();
  });
});

describe('a failing database never fails an answer', () => {
  it('a read-only database file: /ask answers, /feedback is 503 storage_unavailable, one error logged', async (ctx) => {
    const dir = await tempDir();
    const url = databaseUrl(dir);
    const seed = fileStore(url);
    await seed.store.start();
    seed.opened.forEach((db) => db.close());
    const file = join(dir, 'questions.db');
    const restore = await makeReadOnly(file);
    try {
      if (await writable(file)) ctx.skip('cannot make a file read-only here (root without chattr)');
      const logger = recordingLogger();
      const { store, opened } = fileStore(url, { logger });
      await store.start();
      const app = createApp(appDeps(fixture.index, { store }));
      const answer = await ask(app, ANSWERED);
      await store.flush();
      const feedback = await postFeedback(app, { id: answer.id, rating: 'up' });
      expect(feedback.status).toBe(503);
      expect(((await feedback.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
      expect(logger.errors).toHaveLength(1);
      expect(String(logger.errors[0]!.fields.err)).toMatch(/readonly|read-only|permission|not permitted/i);
      opened.forEach((db) => db.close());
    } finally {
      await restore();
    }
  });

  it('a database locked by another process: /ask answers at once', async () => {
    const { createClient } = await import('@libsql/client');
    const url = databaseUrl(await tempDir());
    const logger = recordingLogger();
    const { store, opened } = fileStore(url, { logger });
    await store.start();
    const holder = createClient({ url });
    const transaction = await holder.transaction('write');
    try {
      const app = createApp(appDeps(fixture.index, { store }));
      const started = performance.now();
      await ask(app, ANSWERED);
      await ask(app, NOT_COVERED);
      expect(performance.now() - started).toBeLessThan(2000);
      await store.flush();
      // The records wait in their staging file; moving them into the locked file fails, and says so.
      await expect.poll(() => logger.errors.length, { timeout: 10_000 }).toBe(1);
      expect(String(logger.errors[0]!.fields.err)).toMatch(/locked|busy/i);
      expect(logger.errors[0]!.fields.lostRecords).toBe(0);
    } finally {
      await transaction.rollback();
      holder.close();
    }
    // Once the lock is gone, nothing was lost.
    expect((await store.read(readSummary)).questions).toBe(2);
    opened.forEach((db) => db.close());
  });

  it('no database at all: answers go out, feedback is 503', async () => {
    const logger = recordingLogger();
    // Its folder cannot be created: a file is in the way.
    const dir = await tempDir();
    await writeFile(join(dir, 'not-a-folder'), '');
    const { store } = fileStore(databaseUrl(join(dir, 'not-a-folder')), { logger });
    const app = createApp(appDeps(fixture.index, { store }));
    await ask(app, ANSWERED);
    expect((await postFeedback(app, { id: 'x', rating: 'up' })).status).toBe(503);
    expect(logger.errors.length).toBe(1);
  });
});

/**
 * Make a file read-only: its mode, and for root (whom modes do not stop) the immutable
 * attribute. Returns the undo.
 */
async function makeReadOnly(file: string): Promise<() => Promise<void>> {
  await chmod(file, 0o444);
  const root = process.getuid?.() === 0;
  const immutable =
    root &&
    (await promisify(execFile)('chattr', ['+i', file]).then(
      () => true,
      () => false,
    ));
  return async () => {
    if (immutable) await promisify(execFile)('chattr', ['-i', file]);
    await chmod(file, 0o644);
  };
}

async function writable(file: string): Promise<boolean> {
  return appendFile(file, '').then(
    () => true,
    () => false,
  );
}
