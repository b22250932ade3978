import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import type { LoadedIndex } from '../index/loaded-index.ts';
import { citationFor, repairMarkers } from './citations.ts';
import { OutputGuard } from './output-guard.ts';
import { answerPrompt, condensePrompt, CONDENSE_SYSTEM_PROMPT, systemPrompt } from './prompts.ts';
import type { Semaphore } from './semaphore.ts';
import type { ComposedAnswer, ChatTurn, Citation, Passage } from './types.ts';

export interface LlmDeps {
  model: Pick<BaseChatModel, 'stream' | 'invoke'>;
  upstreamSlots: Semaphore;
  /** Random token in the system prompt that must never come back (see prompts.ts). */
  canary: string;
}

/** Rewrite a follow-up into a standalone question with the model (llm mode). */
export async function condenseWithModel(
  deps: LlmDeps,
  question: string,
  history: ChatTurn[],
  signal: AbortSignal,
): Promise<string> {
  const release = await deps.upstreamSlots.acquire(signal);
  try {
    // Streamed, not invoke(): ChatOpenAI's invoke() with streaming on estimates token usage
    // with tiktoken, which downloads its tables from the internet, retries for minutes when
    // offline, and ignores the request's abort signal.
    const stream = await deps.model.stream(
      [new SystemMessage(CONDENSE_SYSTEM_PROMPT), new HumanMessage(condensePrompt(question, history))],
      { signal },
    );
    let text = '';
    for await (const chunk of stream) if (typeof chunk.content === 'string') text += chunk.content;
    const standalone = sanitizeLine(text);
    // A model that answers instead of rewriting, or says nothing, leaves the question as asked.
    return standalone && standalone.length <= 500 ? standalone : question;
  } finally {
    release();
  }
}

/**
 * Stream an answer from the model. Yields safe text deltas (prompt numbering, invalid
 * markers dropped) and returns the final response: markers renumbered by first use,
 * unreferenced passages removed, and no valid marker at all meaning "not grounded".
 */
export async function* llmAnswer(
  deps: LlmDeps,
  index: LoadedIndex,
  question: string,
  passages: Passage[],
  signal: AbortSignal,
): AsyncGenerator<string, ComposedAnswer | null> {
  const boundary = `PASSAGES-${crypto.randomUUID()}`;
  const subject = { name: index.assistant.name, titles: [...index.documents.values()].map((d) => d.title) };
  const messages: BaseMessage[] = [
    new SystemMessage(systemPrompt(deps.canary, subject)),
    new HumanMessage(answerPrompt(question, passages, boundary)),
  ];
  const guard = new OutputGuard(passages.length, deps.canary);
  // A leaked canary stops the model itself (an abort, not a break: leaving the loop early
  // waits on the client library to close the response, which can hang).
  const upstream = new AbortController();
  const follow = () => upstream.abort(signal.reason);
  const release = await deps.upstreamSlots.acquire(signal);
  signal.addEventListener('abort', follow, { once: true });
  try {
    signal.throwIfAborted();
    const stream = await deps.model.stream(messages, { signal: upstream.signal });
    for await (const chunk of stream) {
      const text = typeof chunk.content === 'string' ? chunk.content : '';
      const safe = guard.push(text);
      if (safe) yield safe;
      if (guard.leaked)
        upstream.abort(new DOMException('answer withheld: it repeated the system prompt', 'AbortError'));
    }
    const rest = guard.flush();
    if (rest) yield rest;
  } catch (error) {
    if (!guard.leaked || signal.aborted) throw error;
  } finally {
    signal.removeEventListener('abort', follow);
    release();
  }
  if (guard.leaked || guard.declined) return null;
  const { answer, used } = repairMarkers(guard.text, passages);
  if (used.length === 0) return null;
  const citations: Citation[] = used.map((p, i) => citationFor(p, i + 1, index.documents.get(p.chunk.document)));
  return { answer, grounded: true, support: 'answered', mode: 'llm', citations };
}

function sanitizeLine(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/<[^>]*>/g, '')
    .trim();
}
