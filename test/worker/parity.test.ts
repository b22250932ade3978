import { describe, expect, inject, it } from 'vitest';
import type { AskResponse } from '../../src/rag/types.ts';
import { ask, citationProblems } from './contract.ts';

/**
 * Same question, same passages: every evaluation question asked of the Worker (exact scan
 * over the bundled vectors, inside workerd) cites the same top-3 sections, in the same order,
 * as the Node pipeline (hnswlib over the generation on disk), computed in node-reference.setup.ts.
 */

const { answers } = inject('nodeReference');
const top3 = (r: AskResponse) => r.citations.slice(0, 3).map((c) => `${c.document}#${c.anchor}`);

describe('parity with the Node pipeline on eval/questions.jsonl', () => {
  it('has evaluation questions to compare', () => {
    expect(answers.length).toBeGreaterThan(0);
  });

  it.each(answers.map((a) => [a.id, a] as const))('%s cites the same top-3 sections', async (_id, expected) => {
    const res = await ask({ question: expected.question, ...(expected.history ? { history: expected.history } : {}) });
    expect(res.status).toBe(200);
    const worker = (await res.json()) as AskResponse;
    expect(worker.grounded).toBe(expected.response.grounded);
    expect(top3(worker)).toEqual(top3(expected.response));
    expect(citationProblems(worker)).toEqual([]);
  });
});
