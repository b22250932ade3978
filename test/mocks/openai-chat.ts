import { HttpResponse } from 'msw';
import type { RecordedRequest } from './openai-server.ts';

/**
 * Chat-completions replies in the OpenAI wire format, for msw handlers registered with
 * `openai.on('/chat/completions', ...)` (openai-server.ts). A reply is a list of text pieces:
 * sent as `chat.completion.chunk` Server-Sent Events ending in `data: [DONE]` when the request
 * asked for `stream: true`, or joined into one `chat.completion` JSON object otherwise.
 */

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

export interface StreamOptions {
  /** The model request's signal: the stream fails, as a real connection does, once it aborts. */
  signal?: AbortSignal;
  /** Milliseconds between pieces (default 0: all at once). */
  gapMs?: number;
}

const created = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One `chat.completion.chunk` event line. */
export function chunkEvent(model: string, delta: Record<string, unknown>, finishReason: string | null = null): string {
  const chunk = {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: created(),
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** A complete streamed completion: a role chunk, one chunk per piece, a stop chunk, `[DONE]`. */
function streamedCompletion(model: string, pieces: string[], { signal, gapMs = 0 }: StreamOptions = {}): Response {
  const events = [
    chunkEvent(model, { role: 'assistant', content: '' }),
    ...pieces.map((content) => chunkEvent(model, { content })),
    chunkEvent(model, {}, 'stop'),
    'data: [DONE]\n\n',
  ];
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const onAbort = () => controller.error(new DOMException('The operation was aborted.', 'AbortError'));
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        for (const event of events) {
          if (signal?.aborted) return;
          controller.enqueue(encoder.encode(event));
          if (gapMs) await sleep(gapMs);
        }
        controller.close();
      } catch {
        // Already errored by the abort.
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
  });
  return new HttpResponse(body, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' },
  });
}

/** A complete non-streamed completion. */
function jsonCompletion(model: string, content: string): Response {
  return HttpResponse.json({
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: created(),
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  });
}

/** Answer a chat request with `pieces`, in whichever format the request asked for. */
export function completion(
  body: ChatCompletionRequestBody,
  pieces: string | string[],
  options: StreamOptions = {},
): Response {
  const list = typeof pieces === 'string' ? [pieces] : pieces;
  return body.stream ? streamedCompletion(body.model, list, options) : jsonCompletion(body.model, list.join(''));
}

/** An OpenAI-style error response. */
export function errorCompletion(status: number, message: string, headers: Record<string, string> = {}): Response {
  return HttpResponse.json({ error: { message, type: 'test_error', param: null, code: null } }, { status, headers });
}

export const systemMessage = (body: ChatCompletionRequestBody): string =>
  body.messages.find((m) => m.role === 'system')?.content ?? '';
export const userMessage = (body: ChatCompletionRequestBody): string =>
  body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
