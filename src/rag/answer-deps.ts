import { resolveAnswerMode, type Config } from '../config.ts';
import { AnswerCache } from './answer-cache.ts';
import type { AnswerDeps } from './answer-question.ts';
import { Semaphore } from './semaphore.ts';

/**
 * The answering dependencies a configuration asks for, the same on Node and Workers: llm
 * answers when a model server is configured (the model client is loaded only then), else
 * extractive, with an answer cache unless ANSWER_CACHE_ENTRIES is 0 (model answers are
 * streamed as they are generated, not cached).
 */
export async function createAnswerDeps(config: Config): Promise<AnswerDeps> {
  if (resolveAnswerMode(config) === 'extractive') {
    return {
      mode: 'extractive',
      cache: config.ANSWER_CACHE_ENTRIES > 0 ? new AnswerCache(config.ANSWER_CACHE_ENTRIES) : undefined,
    };
  }
  const { createChatModel } = await import('./chat-model.ts');
  return {
    mode: 'llm',
    llm: {
      model: createChatModel(config),
      upstreamSlots: new Semaphore(config.MAX_CONCURRENT_UPSTREAM),
      // Per process: a leaked canary proves the system prompt leaked (see prompts.ts).
      canary: `ATG-CANARY-${crypto.randomUUID()}`,
    },
  };
}
