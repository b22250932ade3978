import { afterEach, expect } from 'vitest';
import type { LoadedIndex } from '../../src/index/loaded-index.ts';
import type { AskResponse } from '../../src/rag/types.ts';
import { createApp } from '../../src/server/app.ts';
import { testConfig } from '../helpers/app-deps.ts';
import { askRequest } from '../helpers/ask-request.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';
import { llmAnswerDeps } from '../helpers/llm-deps.ts';
import { completion, type ChatCompletionRequestBody, type ChatRequest } from '../mocks/openai-chat.ts';
import { useOpenAITestServer, type OpenAITestServer } from '../mocks/openai-server.ts';
import { appDeps, parseSse, readAskStream, type AskStream } from './harness.ts';
import { LLM_TEST_API_KEY, LLM_TEST_BASE_URL, LLM_TEST_MODEL } from './llm-prompts.ts';

export const CANARY = 'ATG-CANARY-test';
export const SALES_QUESTION = 'How do I move from sales into product?';

export type App = ReturnType<typeof createApp>;

export interface LlmHarness {
  openai: OpenAITestServer;
  readonly index: LoadedIndex;
  /** The real app in llm mode: createChatModel(config for https://llm.test/v1), 4 upstream slots by default. */
  llmApp(timeoutMs?: number, upstreamSlots?: number): App;
  /** Every chat-completions request msw answered in this test, in order. */
  chatRequests(): ChatRequest[];
  /** Answer every chat request with `reply(body)`, streamed or JSON as the request asks. */
  modelReplies(reply: (body: ChatCompletionRequestBody) => string | string[]): void;
  askJson(app: App, body: unknown): Promise<AskResponse>;
  askSse(app: App, body: unknown): Promise<AskStream & { text: string }>;
}

/**
 * Wire a test file for the llm path: msw as the model server (and nothing else: a request
 * to any other host fails the test that made it), a real fixture index, and helpers.
 */
export function useLlmHarness(): LlmHarness {
  const openai = useOpenAITestServer();
  const fixture = useFixtureIndex();
  const unhandled: string[] = [];
  openai.server.events.on('request:unhandled', ({ request }) => {
    unhandled.push(`${request.method} ${request.url}`);
  });

  afterEach(() => {
    expect(unhandled.splice(0), 'requests to hosts other than the model server').toEqual([]);
  });

  return {
    openai,
    get index() {
      return fixture.index;
    },
    llmApp: (timeoutMs = 5000, upstreamSlots = 4) => {
      const answer = llmAnswerDeps(
        { apiKey: LLM_TEST_API_KEY, baseUrl: LLM_TEST_BASE_URL, model: LLM_TEST_MODEL },
        { slots: upstreamSlots, canary: CANARY },
      );
      return createApp(appDeps(fixture.index, { answer, config: testConfig({ REQUEST_TIMEOUT_MS: timeoutMs }) }));
    },
    chatRequests: () => openai.requestsTo<ChatCompletionRequestBody>('/chat/completions'),
    modelReplies: (reply) => {
      openai.on<ChatCompletionRequestBody>('/chat/completions', ({ body }) => completion(body, reply(body)));
    },
    askJson: async (app, body) => {
      const res = await app.request('/ask', askRequest(body));
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as AskResponse;
    },
    askSse: async (app, body) => {
      const res = await app.request('/ask', askRequest(body, true));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const text = await res.text();
      return { text, ...readAskStream(parseSse(text)) };
    },
  };
}
