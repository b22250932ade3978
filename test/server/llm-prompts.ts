import { systemMessage, type ChatCompletionRequestBody } from '../mocks/openai-chat.ts';

/**
 * What the llm-mode server tests send the app's model client to (msw answers there with the
 * replies of test/mocks/openai-chat.ts), and how they read the app's prompts back.
 */

export const LLM_TEST_BASE_URL = 'https://llm.test/v1';
export const LLM_TEST_API_KEY = 'test-key';
export const LLM_TEST_MODEL = 'guide-test-model';

/** The condense call (rewrite a follow-up) is told to rewrite; the answer call is not. */
export const isCondenseRequest = (body: ChatCompletionRequestBody): boolean =>
  systemMessage(body).startsWith('Rewrite the last user question');

export interface PromptPassage {
  n: number;
  section: string;
  text: string;
}

/**
 * The numbered passages of an answer prompt, read back from the fence the app wrote
 * (`<<<BOUNDARY` ... `BOUNDARY>>>`), with the boundary and the question after it.
 */
export function promptPassages(prompt: string): {
  boundary: string;
  passages: PromptPassage[];
  question: string;
  fencedBody: string;
} {
  const open = /^<<<(\S+)$/m.exec(prompt);
  if (!open) throw new Error(`no fence in prompt:\n${prompt}`);
  const boundary = open[1]!;
  const start = open.index + open[0].length + 1;
  const end = prompt.indexOf(`\n${boundary}>>>`, start);
  if (end < 0) throw new Error('fence not closed');
  const fencedBody = prompt.slice(start, end);
  const passages: PromptPassage[] = [];
  const header = /^\[(\d+)\] \(section: (.*)\)$/gm;
  const heads = [...fencedBody.matchAll(header)];
  heads.forEach((m, i) => {
    const textStart = m.index + m[0].length + 1;
    const textEnd = i + 1 < heads.length ? heads[i + 1]!.index - 2 : fencedBody.length;
    passages.push({ n: Number(m[1]), section: m[2]!, text: fencedBody.slice(textStart, textEnd) });
  });
  const question = /^Question: (.*)$/m.exec(prompt.slice(end))?.[1] ?? '';
  return { boundary, passages, question, fencedBody };
}
