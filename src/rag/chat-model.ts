import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../config.ts';

/**
 * The chat model for `llm` answers: OpenAI or any OpenAI-compatible server. Temperature 0
 * for repeatable, literal answers; one retry at most, because the request's own time budget
 * (REQUEST_TIMEOUT_MS) matters more to a person waiting than a third attempt.
 */
export function createChatModel(config: Config): ChatOpenAI {
  return new ChatOpenAI({
    model: config.CHAT_MODEL,
    temperature: 0,
    apiKey: config.OPENAI_API_KEY ?? 'no-key',
    maxRetries: 1,
    streaming: true,
    configuration: config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {},
  });
}
