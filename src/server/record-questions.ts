import type { Context } from 'hono';
import type { AskResponse, Citation } from '../rag/types.ts';
import { memoised } from '../memo.ts';
import { citedSectionsJson } from '../storage/question-log.ts';
import type { QuestionStore, WaitUntil } from '../storage/question-store.ts';

/** An answer that went out, as the route that sent it knows it. */
export interface SentAnswer {
  question: string;
  answer: AskResponse;
  /** performance.now() when the request began. */
  startedAt: number;
  /** The index generation that answered. */
  generation: string;
}

/**
 * Record an answer sent by POST /ask, /v1/chat/completions or the MCP tool ask_guide in the
 * question store: the question, its outcome, cited sections, mode, latency and index
 * generation. Never an address or a key. Called when the answer is complete (for a stream, at
 * its last event); the store only queues the record, so the write is off the request's
 * critical path, and on Workers it goes to the request's waitUntil.
 */
export function recordAnswer(store: QuestionStore | undefined, c: Context, sent: SentAnswer): void {
  if (!store?.recording) return;
  const { answer } = sent;
  store.record(
    {
      id: answer.id,
      askedAt: Date.now(),
      question: sent.question,
      outcome: answer.support,
      mode: answer.mode,
      latencyMs: performance.now() - sent.startedAt,
      generation: sent.generation,
      citedSections: citedSectionsOf(answer),
    },
    store.needsWaitUntil ? waitUntilOf(c) : undefined,
  );
}

/**
 * The answer's cited sections as recorded, written once per citations array: an answer served
 * from the cache is a fresh object with the cached answer's citations, so repeats cost a lookup.
 */
function citedSectionsOf(answer: AskResponse): string {
  return memoised(citedSectionsByCitations, answer.citations, citedSectionsJson);
}

const citedSectionsByCitations = new WeakMap<readonly Citation[], string>();

/** The runtime's waitUntil (Workers); undefined where there is none (Node, app.request()). */
function waitUntilOf(c: Context): WaitUntil | undefined {
  try {
    const ctx = c.executionCtx;
    return (promise) => ctx.waitUntil(promise);
  } catch {
    return undefined;
  }
}
