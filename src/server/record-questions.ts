import type { MiddlewareHandler } from 'hono';
import type { QuestionStore, WaitUntil } from '../storage/question-store.ts';
import type { AppDeps, AppEnv } from './app.ts';

/**
 * Records each answered /ask (JSON, or SSE when its stream ends) in the question store: the
 * question, its outcome, cited sections, mode, latency and index generation. Never an address
 * or a key. The write happens after the response, off the request's critical path.
 */
export function recordQuestions(deps: Pick<AppDeps, 'index'> & { store: QuestionStore }): MiddlewareHandler<AppEnv> {
  const { store } = deps;
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const started = performance.now();
    const generation = deps.index.current()?.generation ?? '';
    await next();
    const write = () => {
      const answer = c.get('answer');
      const question = c.get('question');
      if (!answer || !question) return;
      store.record(
        {
          id: answer.id,
          askedAt: Date.now(),
          question,
          outcome: answer.support,
          mode: answer.mode,
          latencyMs: performance.now() - started,
          generation,
          citations: answer.citations.map(({ document, section }) => ({ document, section })),
        },
        store.needsWaitUntil ? waitUntilOf(c) : undefined,
      );
    };
    const streamEnded = c.get('streamEnded');
    if (streamEnded) {
      const recorded = streamEnded.then(write);
      // On Workers the stream's end is itself after the response: keep the isolate for it.
      if (store.needsWaitUntil) waitUntilOf(c)?.(recorded);
    } else write();
  };
}

/** The runtime's waitUntil (Workers); undefined where there is none (Node, app.request()). */
function waitUntilOf(c: Parameters<MiddlewareHandler>[0]): WaitUntil | undefined {
  try {
    const ctx = c.executionCtx;
    return (promise) => ctx.waitUntil(promise);
  } catch {
    return undefined;
  }
}
