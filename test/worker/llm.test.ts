import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import type { AskResponse } from '../../src/rag/types.ts';
import { ask, askStream, citationProblems } from './contract.ts';
import type { Reply, SeenRequest } from './openai-outbound.ts';

/**
 * `llm` answers inside workerd: OPENAI_API_KEY and OPENAI_BASE_URL are set as bindings (as
 * `wrangler secret put` would), and the Worker's outbound fetch is answered by a fake
 * OpenAI chat-completions API in Node (vitest.worker.config.ts); nothing reaches the network.
 */

const control = env.OPENAI_CONTROL!;
const script = (replies: Reply[]) =>
  control.fetch('http://control/replies', { method: 'POST', body: JSON.stringify(replies) });
const seen = async () => (await (await control.fetch('http://control/requests')).json()) as SeenRequest[];

afterEach(async () => {
  await script([]);
  await seen();
});

const QUESTION = 'How do I move from sales into product?';

describe('POST /ask with a model server (llm mode)', () => {
  it('answers JSON from the model, citations renumbered and resolving', async () => {
    await script([{ content: 'You already know what customers need [2]. The shift is to long-term strategy [1].' }]);
    const res = await ask({ question: QUESTION });
    expect(res.status).toBe(200);
    const body = (await res.json()) as AskResponse;
    expect(body).toMatchObject({ grounded: true, mode: 'llm' });
    // Markers are renumbered by first use: the model's [2] becomes [1].
    expect(body.answer).toBe('You already know what customers need [1]. The shift is to long-term strategy [2].');
    expect(body.citations.map((c) => c.id)).toEqual([1, 2]);
    expect(citationProblems(body)).toEqual([]);

    const requests = await seen();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.authorization).toBe('Bearer sk-worker-test');
    expect(requests[0]!.body.model).toBe('gpt-4o-mini');
    const user = requests[0]!.body.messages!.find((m) => m.role === 'user')!.content;
    expect(user).toContain(`Question: ${QUESTION}`);
  });

  it('streams SSE: citations, the model text as deltas, then done', async () => {
    const stream = await askStream({ question: QUESTION });
    expect(stream.problems).toEqual([]);
    expect(stream.done).toMatchObject({ grounded: true, mode: 'llm' });
    expect(stream.text).toContain('[1]');
    expect(citationProblems(stream.done)).toEqual([]);
    expect((await seen())[0]!.body.stream).toBe(true);
  });

  it('shows the closest passages as related when the model says "not covered" to a well-supported question', async () => {
    await script([{ content: 'NOT_COVERED' }]);
    const body = (await (await ask({ question: QUESTION })).json()) as AskResponse;
    expect(body).toMatchObject({ support: 'related', grounded: true, mode: 'llm' });
    expect(body.answer).toMatch(/^The guide doesn't [^\n]*The closest it gets:/);
    expect(body.answer).not.toContain('NOT_COVERED');
    expect(citationProblems(body)).toEqual([]);
  });

  it('turns a failing model server into 502 upstream_error without leaking its text', async () => {
    await script([
      { status: 500, message: 'secret upstream detail' },
      { status: 500, message: 'secret upstream detail' },
    ]);
    const res = await ask({ question: QUESTION });
    expect(res.status).toBe(502);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'upstream_error' } });
    expect(text).not.toContain('secret upstream detail');
    expect(text).not.toContain('sk-worker-test');
  });
});
