import { OpenAIEmbeddings } from '@langchain/openai';
import type { Config } from '../config.ts';

/**
 * `OpenAIEmbeddings` for OpenAI or any OpenAI-compatible server (`OPENAI_BASE_URL`: Ollama,
 * vLLM, LM Studio...). Requests are batched, and LangChain's caller retries 429 and 5xx
 * answers with exponential backoff; 4xx answers other than 429 fail at once.
 */
export function createOpenAIEmbeddings(config: Config, model = config.EMBEDDINGS_MODEL): OpenAIEmbeddings {
  return new OpenAIEmbeddings({
    model,
    // A local OpenAI-compatible server may need no key, but the SDK insists on one.
    apiKey: config.OPENAI_API_KEY ?? 'no-key',
    batchSize: 128,
    maxRetries: 5,
    timeout: config.REQUEST_TIMEOUT_MS,
    configuration: config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {},
  });
}

/** Cache key: the same model name on two servers may be two different models. */
export function openAIEmbedderKey(config: Config): string {
  return `openai:${config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1'}:${config.EMBEDDINGS_MODEL}`;
}
