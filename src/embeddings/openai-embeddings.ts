import { OpenAIEmbeddings } from '@langchain/openai';
import type { Config } from '../config.ts';

/**
 * `OpenAIEmbeddings` for OpenAI or any OpenAI-compatible server (`OPENAI_BASE_URL`: Ollama,
 * vLLM, LM Studio...). Requests are batched; 429 and 5xx answers and network failures are
 * retried with exponential backoff (LangChain's caller), other 4xx answers fail at once.
 */
export function createOpenAIEmbeddings(config: Config, model = config.EMBEDDINGS_MODEL): OpenAIEmbeddings {
  return new OpenAIEmbeddings({
    model,
    // A local OpenAI-compatible server may need no key, but the SDK insists on one.
    apiKey: config.OPENAI_API_KEY ?? 'no-key',
    batchSize: 128,
    maxRetries: 5,
    onFailedAttempt: retryRateLimitsAndServerErrors,
    timeout: config.REQUEST_TIMEOUT_MS,
    configuration: config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {},
  });
}

/** Cache key: the same model name on two servers may be two different models. */
export function openAIEmbedderKey(config: Config): string {
  return `openai:${config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1'}:${config.EMBEDDINGS_MODEL}`;
}

/**
 * LangChain's default handler gives up on a 429 without a Retry-After header, which many
 * OpenAI-compatible servers never send: retry those too, unless the quota is exhausted.
 */
function retryRateLimitsAndServerErrors(error: unknown): void {
  const e = error as { status?: number; code?: string; name?: string };
  if (e?.name === 'AbortError') throw error;
  if (e?.status === 429) {
    if (e.code === 'insufficient_quota') throw error;
    return;
  }
  if (e?.status && e.status >= 400 && e.status < 500) throw error;
}
