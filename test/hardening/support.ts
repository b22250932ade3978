import type { AnswerDeps } from '../../src/rag/answer-question.ts';
import type { createApp } from '../../src/server/app.ts';
import type { Logger } from '../../src/logger.ts';
import { completion, type ChatCompletionRequestBody } from '../mocks/openai-chat.ts';
import { OPENAI_TEST_BASE_URL, type OpenAITestServer } from '../mocks/openai-server.ts';
import { llmAnswerDeps as sharedLlmAnswerDeps } from '../helpers/llm-deps.ts';
import { loopbackPassthrough, serveOnLoopback, type Loopback } from '../helpers/loopback.ts';
import { parseSse, type SseEvent } from '../helpers/sse.ts';

export { parseSse, type SseEvent };

/**
 * Shared pieces of the hardening suite: an app wired like node.ts (real index, real
 * ChatOpenAI client talking to msw), a loopback server, SSE parsing and OpenAI-format model
 * replies.
 */

export const TEST_CANARY = 'ATG-CANARY-7f3e9c1d-hardening';
export const TEST_API_KEY = 'sk-test-SECRET';
export const CHAT_MODEL = 'hardening-test-model';

export type App = ReturnType<typeof createApp>;

/** AnswerDeps for `llm` mode: the real ChatOpenAI client from chat-model.ts, pointed at msw. */
export function llmAnswerDeps(options: { slots?: number; canary?: string } = {}): AnswerDeps {
  return sharedLlmAnswerDeps(
    { apiKey: TEST_API_KEY, baseUrl: OPENAI_TEST_BASE_URL, model: CHAT_MODEL },
    { slots: options.slots ?? 8, canary: options.canary ?? TEST_CANARY },
  );
}

export { appDeps, testConfig } from '../helpers/app-deps.ts';

/** A Logger that keeps every record as the JSON line a real logger would write. */
export function memoryLogger(): Logger & { lines: string[]; records(): Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const write = (level: string) => (fields: Record<string, unknown>, msg?: string) => {
    lines.push(JSON.stringify({ level, ...fields, ...(msg ? { msg } : {}) }));
  };
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export { serveOnLoopback, type Loopback };

/** Let requests to our own loopback servers through msw (which otherwise fails any unhandled request). */
export function allowLoopback(openai: OpenAITestServer): void {
  openai.use(loopbackPassthrough());
}

/**
 * A chat completion (test/mocks/openai-chat.ts) that, streamed, fails the way a real
 * connection does when the model request is aborted; `gapMs` spaces the pieces out.
 */
export const modelReply = (request: Request, body: ChatCompletionRequestBody, pieces: string[], gapMs = 0): Response =>
  completion(body, pieces, { signal: request.signal, gapMs });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Wait until `condition` holds, checking every 5 ms; fail with `what` after `ms`. */
export async function until(condition: () => boolean, what = 'condition', ms = 5000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what}: not met within ${ms} ms`);
    await sleep(5);
  }
}

/** Resolves true once `signal` aborts (immediately if it already has). */
export const abortedPromise = (signal: AbortSignal): Promise<true> =>
  new Promise((resolve) =>
    signal.aborted ? resolve(true) : signal.addEventListener('abort', () => resolve(true), { once: true }),
  );

/** The contract's error codes and their statuses. */
export const CONTRACT_ERRORS: Record<number, string> = {
  400: 'invalid_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  502: 'upstream_error',
  503: 'index_unavailable',
  504: 'timeout',
};

/** Problems with an error response, empty when it is exactly the contract's shape. */
export function errorShapeProblems(status: number, text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [`status ${status}: body is not JSON: ${text.slice(0, 200)}`];
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } }).error;
  const problems: string[] = [];
  if (!error || Object.keys(parsed as object).length !== 1) problems.push(`not { error }: ${text.slice(0, 200)}`);
  if (error?.code !== CONTRACT_ERRORS[status]) problems.push(`status ${status} with code ${String(error?.code)}`);
  if (typeof error?.message !== 'string' || !error.message) problems.push('no message');
  if (/\bat .+:\d+:\d+/.test(text)) problems.push('looks like a stack trace');
  return problems;
}
