import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { AskResponse } from '../../src/rag/types.ts';
import { ask, askStream, newClient } from './contract.ts';

/**
 * Recording and feedback on Workers: the Worker writes to miniflare's local D1 (the `DB`
 * binding of wrangler.toml, tables from migrations/), after the response, in waitUntil.
 */

interface D1 {
  prepare(sql: string): { bind(...values: unknown[]): { all(): Promise<{ results: Array<Record<string, unknown>> }> } };
}
const db = env.DB as D1;

const QUESTION = 'How do I move from sales into product?';

const rows = async (sql: string, ...args: unknown[]) =>
  (
    await db
      .prepare(sql)
      .bind(...args)
      .all()
  ).results;

const feedback = (body: unknown) =>
  exports.default.fetch(
    new Request('http://worker.test/feedback', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': newClient() },
      body: JSON.stringify(body),
    }),
  );

describe('recording on D1', () => {
  it('the tables come from migrations/, bookkept as wrangler does', async () => {
    expect(await rows('SELECT name FROM d1_migrations')).toEqual([
      { name: '0001_recorded_questions.sql' },
      { name: '0002_compact_rows.sql' },
      { name: '0003_staged_questions.sql' },
    ]);
  });

  it('records a JSON answer after the response, and takes feedback on it', async () => {
    const answer = (await (await ask({ question: QUESTION })).json()) as AskResponse;
    await expect
      .poll(() => rows('SELECT question, outcome, mode FROM questions WHERE id = ?', answer.id))
      .toEqual([{ question: QUESTION, outcome: answer.support, mode: 'extractive' }]);
    const [row] = await rows('SELECT citations, generation FROM questions WHERE id = ?', answer.id);
    const cited = JSON.parse(String(row!.citations)) as Record<string, string[]>;
    expect(Object.values(cited).flat()).toEqual([...new Set(answer.citations.map((c) => c.section))]);

    const saved = await feedback({ id: answer.id, rating: 'down', comment: 'Not what I asked' });
    expect(saved.status).toBe(200);
    expect(await rows('SELECT rating, comment FROM feedback WHERE answer_id = ?', answer.id)).toEqual([
      { rating: 'down', comment: 'Not what I asked' },
    ]);
  });

  it('records a /v1/chat/completions answer under the completion id, streamed or not', async () => {
    const completion = (stream: boolean) =>
      exports.default.fetch(
        new Request('http://worker.test/v1/chat/completions', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': newClient() },
          body: JSON.stringify({ model: 'ask-the-guide', stream, messages: [{ role: 'user', content: QUESTION }] }),
        }),
      );
    const json = (await (await completion(false)).json()) as { id: string };
    const streamed = await (await completion(true)).text();
    const streamedId = (JSON.parse(streamed.split('\n')[0]!.replace(/^data: /, '')) as { id: string }).id;
    for (const id of [json.id, streamedId])
      await expect
        .poll(() => rows('SELECT question FROM questions WHERE id = ?', id))
        .toEqual([{ question: QUESTION }]);
    expect((await feedback({ id: streamedId, rating: 'up' })).status).toBe(200);
  });

  it('records an SSE answer when its stream ends', async () => {
    const stream = await askStream({ question: QUESTION });
    const done = stream.done;
    await expect.poll(() => rows('SELECT id FROM questions WHERE id = ?', done.id)).toEqual([{ id: done.id }]);
  });

  it('404 not_found for an unknown id, 400 invalid_request for a bad rating', async () => {
    const unknown = await feedback({ id: 'never-given', rating: 'up' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const bad = await feedback({ id: 'never-given', rating: 'sideways' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
  });
});
