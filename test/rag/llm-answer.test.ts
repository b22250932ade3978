import { FakeListChatModel } from '@langchain/core/utils/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion, type AnswerDeps } from '../../src/rag/answer-question.ts';
import { llmAnswer, type LlmDeps } from '../../src/rag/llm-answer.ts';
import { retrieve } from '../../src/rag/retrieve.ts';
import { Semaphore } from '../../src/rag/semaphore.ts';
import type { AskEvent, ComposedAnswer, Passage } from '../../src/rag/types.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';

/**
 * llmAnswer and answerQuestion in llm mode with LangChain's own fake chat model (it streams
 * its reply one character at a time), on a real fixture index: the guard at work mid-stream,
 * and the upstream slot given back however the answer ends.
 */

const CANARY = 'ATG-CANARY-test';
const QUESTION = 'How do I move from sales into product?';

const fixture = useFixtureIndex();
let passages: Passage[];

beforeAll(async () => {
  passages = (await retrieve(fixture.index, { text: QUESTION }, 4)).passages;
});

const deps = (responses: string[], slots = new Semaphore(1)): LlmDeps => ({
  model: new FakeListChatModel({ responses }),
  upstreamSlots: slots,
  canary: CANARY,
});

/** Run llmAnswer to the end: the deltas it yielded and the response it returned. */
async function drain(llm: LlmDeps): Promise<{ deltas: string[]; response: ComposedAnswer | null }> {
  const generator = llmAnswer(llm, fixture.index, QUESTION, passages, new AbortController().signal);
  const deltas: string[] = [];
  for (;;) {
    const step = await generator.next();
    if (step.done) return { deltas, response: step.value };
    deltas.push(step.value);
  }
}

/** True when the semaphore has a free slot right now. */
async function slotFree(slots: Semaphore): Promise<boolean> {
  try {
    const release = await slots.acquire(AbortSignal.timeout(200));
    release();
    return true;
  } catch {
    return false;
  }
}

describe('llmAnswer', () => {
  it('streams the answer and returns it with markers renumbered by first use', async () => {
    const llm = deps(['Sales people know customers [3]. Strategy matters [1][3].']);
    const { deltas, response } = await drain(llm);
    expect(deltas.join('')).toBe('Sales people know customers [3]. Strategy matters [1][3].');
    expect(deltas.length).toBeGreaterThan(1);
    expect(response).toMatchObject({
      grounded: true,
      mode: 'llm',
      answer: 'Sales people know customers [1]. Strategy matters [2][1].',
    });
    expect(response!.citations.map((c) => c.quote)).toEqual([passages[2]!.chunk.text, passages[0]!.chunk.text]);
    expect(await slotFree(llm.upstreamSlots)).toBe(true);
  });

  it('stops at a canary mid-stream: nothing of it is released, no answer, the slot is given back', async () => {
    const llm = deps([`Sales skills transfer [1]. The marker is ${CANARY} and a lot more text follows it here [2].`]);
    const { deltas, response } = await drain(llm);
    expect(deltas.join('')).not.toContain('ATG-CAN');
    expect(deltas.join('')).not.toContain('follows');
    expect(response).toBeNull();
    expect(await slotFree(llm.upstreamSlots)).toBe(true);
  });

  it('returns no answer for NOT_COVERED, and never yields the sentinel as text', async () => {
    const llm = deps(['NOT_COVERED']);
    const { deltas, response } = await drain(llm);
    expect(response).toBeNull();
    expect(deltas.join('')).not.toContain('NOT_COVERED');
  });

  it('returns no answer when no marker points at a passage', async () => {
    const { response } = await drain(deps(['Product people are great [9]. Truly [0].']));
    expect(response).toBeNull();
  });
});

describe('answerQuestion (llm mode)', () => {
  const llmMode = (llm: LlmDeps): AnswerDeps => ({ mode: 'llm', llm });

  async function collect(events: AsyncGenerator<AskEvent>): Promise<AskEvent[]> {
    const out: AskEvent[] = [];
    for await (const event of events) out.push(event);
    return out;
  }

  it('emits citations (prompt numbering), deltas, then done', async () => {
    const events = await collect(
      answerQuestion(
        fixture.index,
        { question: QUESTION },
        llmMode(deps(['Sales skills transfer [2].'])),
        new AbortController().signal,
      ),
    );
    expect(events[0]).toMatchObject({ type: 'citations' });
    expect((events[0] as { citations: unknown[] }).citations).toHaveLength(passages.length);
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      response: { grounded: true, answer: 'Sales skills transfer [1].' },
    });
    expect(events.slice(1, -1).every((e) => e.type === 'delta')).toBe(true);
  });

  it('streams the closest passages as related, not the sentinel, when the model says NOT_COVERED to a supported question', async () => {
    const events = await collect(
      answerQuestion(
        fixture.index,
        { question: QUESTION },
        llmMode(deps(['NOT_COVERED'])),
        new AbortController().signal,
      ),
    );
    const deltas = events
      .filter((e): e is Extract<AskEvent, { type: 'delta' }> => e.type === 'delta')
      .map((e) => e.text);
    const done = events.at(-1) as Extract<AskEvent, { type: 'done' }>;
    expect(done.response).toMatchObject({ support: 'related', grounded: true, mode: 'llm' });
    expect(done.response.citations.length).toBeGreaterThan(0);
    expect(deltas.join('')).toBe(done.response.answer);
    expect(deltas.join('')).not.toContain('NOT_COVERED');
  });

  it('gives the upstream slot back when its consumer stops early (a client that went away)', async () => {
    const slots = new Semaphore(1);
    const long = `${'Sales people already know what customers need [1]. '.repeat(20)}`;
    const events = answerQuestion(
      fixture.index,
      { question: QUESTION },
      llmMode(deps([long], slots)),
      new AbortController().signal,
    );
    let step = await events.next();
    while (!step.done && step.value.type !== 'delta') step = await events.next();
    // Stopped at the first word, not at the end of the answer.
    expect(step.done).toBe(false);
    await events.return(undefined);
    expect(await slotFree(slots)).toBe(true);
  });
});
