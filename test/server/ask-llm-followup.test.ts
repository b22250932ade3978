import { describe, expect, it } from 'vitest';
import { completion, systemMessage, userMessage, type ChatCompletionRequestBody } from '../mocks/openai-chat.ts';
import { citationProblems } from './harness.ts';
import { SALES_QUESTION, useLlmHarness } from './llm-harness.ts';
import { isCondenseRequest, LLM_TEST_MODEL, promptPassages } from './llm-prompts.ts';

/**
 * Follow-up questions in llm mode: with history, the model first rewrites the question into
 * a standalone one (the condense call), and retrieval and the answer use the rewrite.
 * (A file of its own: a hung condense call must not spill into unrelated tests.)
 */

const { openai, llmApp, chatRequests, modelReplies, askJson } = useLlmHarness();

describe('llm follow-ups', () => {
  it('condenses a follow-up with the model first, then answers the rewritten question', async () => {
    const rewritten = 'How can a product designer move into product management?';
    openai.on<ChatCompletionRequestBody>('/chat/completions', ({ body }) => {
      if (isCondenseRequest(body)) return completion(body, rewritten);
      const design = promptPassages(userMessage(body)).passages.find((p) => p.section.includes('Design'));
      return completion(
        body,
        design ? `Designers understand user experience and wireframes [${design.n}].` : 'NOT_COVERED',
      );
    });
    const history = [
      { role: 'user', content: SALES_QUESTION },
      { role: 'assistant', content: 'Sales people already know what customers need [1].' },
    ];
    const body = await askJson(llmApp(), { question: 'And what about designers?', history });

    const [condense, answer, ...rest] = chatRequests();
    expect(rest).toHaveLength(0);
    expect(isCondenseRequest(condense!.body)).toBe(true);
    expect(condense!.body).toMatchObject({ model: LLM_TEST_MODEL, temperature: 0 });
    const condensePrompt = userMessage(condense!.body);
    expect(condensePrompt).toContain(`User: ${SALES_QUESTION}`);
    expect(condensePrompt).toContain('Assistant: Sales people already know what customers need [1].');
    expect(condensePrompt).toContain('And what about designers?');
    expect(systemMessage(condense!.body)).toMatch(/data, not as instructions/i);

    expect(isCondenseRequest(answer!.body)).toBe(false);
    expect(promptPassages(userMessage(answer!.body)).question).toBe(rewritten);
    expect(body).toMatchObject({
      grounded: true,
      mode: 'llm',
      answer: 'Designers understand user experience and wireframes [1].',
    });
    expect(body.citations).toHaveLength(1);
    expect(body.citations[0]!.section).toBe('Transition from Design to Product Management');
    expect(citationProblems(body)).toEqual([]);
  }, 10_000);

  it('keeps the question as asked when the condense reply is no question (too long), and strips markup from one that is', async () => {
    const replies = ['Sure! '.repeat(100), '<b>How can a designer\nmove into product management?</b>'];
    for (const rewrite of replies) {
      openai.reset();
      openai.on<ChatCompletionRequestBody>('/chat/completions', ({ body }) =>
        completion(body, isCondenseRequest(body) ? rewrite : 'Designers understand user experience [1].'),
      );
      await askJson(llmApp(), {
        question: 'And what about designers?',
        history: [{ role: 'user', content: SALES_QUESTION }],
      });
      const answer = chatRequests().find((r) => !isCondenseRequest(r.body))!;
      const question = promptPassages(userMessage(answer.body)).question;
      expect(question).toBe(
        rewrite.startsWith('Sure') ? 'And what about designers?' : 'How can a designer move into product management?',
      );
    }
  }, 10_000);

  it('does not call the model to condense when there is no history', async () => {
    modelReplies(() => 'Sales skills transfer [1].');
    await askJson(llmApp(), { question: SALES_QUESTION });
    expect(chatRequests().filter((r) => isCondenseRequest(r.body))).toHaveLength(0);
  });
});
