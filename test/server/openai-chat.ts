import { HttpResponse } from 'msw';
import type { RecordedRequest } from '../mocks/openai-server.ts';

/**
 * Chat-completions replies in the OpenAI wire format, for msw handlers registered with
 * `openai.on('/chat/completions', ...)` (test/mocks/openai-server.ts). A reply is a list of
 * text pieces: sent as `chat.completion.chunk` Server-Sent Events ending in `data: [DONE]`
 * when the request asked for `stream: true`, or joined into one `chat.completion` JSON object
 * otherwise.
 */

export const LLM_TEST_BASE_URL = 'https://llm.test/v1';
export const LLM_TEST_API_KEY = 'test-key';
export const LLM_TEST_MODEL = 'guide-test-model';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatCompletionRequestBody {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  stream?: boolean;
  [key: string]: unknown;
}

export type ChatRequest = RecordedRequest<ChatCompletionRequestBody>;

const created = () => Math.floor(Date.now() / 1000);

/** One `chat.completion.chunk` event line. */
export function chunkEvent(model: string, delta: Record<string, unknown>, finishReason: string | null = null): string {
  const chunk = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: created(), model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** A complete streamed completion: a role chunk, one chunk per piece, a stop chunk, `[DONE]`. */
export function streamedCompletion(model: string, pieces: string[]): Response {
  const events = [
    chunkEvent(model, { role: 'assistant', content: '' }),
    ...pieces.map((content) => chunkEvent(model, { content })),
    chunkEvent(model, {}, 'stop'),
    'data: [DONE]\n\n',
  ];
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const event of events) controller.enqueue(encoder.encode(event));
      controller.close();
    },
  });
  return new HttpResponse(body, { headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' } });
}

/** A complete non-streamed completion. */
export function jsonCompletion(model: string, content: string): Response {
  return HttpResponse.json({
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: created(),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  });
}

/** Answer a chat request with `pieces`, in whichever format the request asked for. */
export function completion(body: ChatCompletionRequestBody, pieces: string | string[]): Response {
  const list = typeof pieces === 'string' ? [pieces] : pieces;
  return body.stream ? streamedCompletion(body.model, list) : jsonCompletion(body.model, list.join(''));
}

/** An OpenAI-style error response. */
export function errorCompletion(status: number, message: string, headers: Record<string, string> = {}): Response {
  return HttpResponse.json({ error: { message, type: 'test_error', param: null, code: null } }, { status, headers });
}

export const systemMessage = (body: ChatCompletionRequestBody): string => body.messages.find((m) => m.role === 'system')?.content ?? '';
export const userMessage = (body: ChatCompletionRequestBody): string => body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';

/** The condense call (rewrite a follow-up) is told to rewrite; the answer call is not. */
export const isCondenseRequest = (body: ChatCompletionRequestBody): boolean => systemMessage(body).startsWith('Rewrite the last user question');

export interface PromptPassage {
  n: number;
  section: string;
  text: string;
}

/**
 * The numbered passages of an answer prompt, read back from the fence the app wrote
 * (`<<<BOUNDARY` ... `BOUNDARY>>>`), with the boundary and the question after it.
 */
export function promptPassages(prompt: string): { boundary: string; passages: PromptPassage[]; question: string; fencedBody: string } {
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
