import { loadConfig } from '../../src/config.ts';
import type { AnswerDeps } from '../../src/rag/answer-question.ts';
import { createChatModel } from '../../src/rag/chat-model.ts';
import { Semaphore } from '../../src/rag/semaphore.ts';

/**
 * AnswerDeps for `llm` mode wired as node.ts wires them: the real ChatOpenAI client of
 * chat-model.ts, pointed at a model server the test mocks with msw.
 */
export function llmAnswerDeps(
  server: { apiKey: string; baseUrl: string; model: string },
  options: { slots: number; canary: string },
): AnswerDeps {
  const config = loadConfig({
    OPENAI_API_KEY: server.apiKey,
    OPENAI_BASE_URL: server.baseUrl,
    CHAT_MODEL: server.model,
  });
  return {
    mode: 'llm',
    llm: { model: createChatModel(config), upstreamSlots: new Semaphore(options.slots), canary: options.canary },
  };
}
