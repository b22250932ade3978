import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { AppError } from '../../errors.ts';
import { embedsQuestionsRemotely } from '../../index/loaded-index.ts';
import { answerOnce, answerQuestion, type AskInput } from '../../rag/answer-question.ts';
import type { AskEvent } from '../../rag/types.ts';
import type { App, AppDeps, AppEnv } from '../app.ts';
import { describeError } from '../error-handler.ts';
import { requireIndex } from '../index-source.ts';
import { NO_CANCELLATION, requestSignal, type RequestCancellation } from '../request-signal.ts';
import { AskRequestSchema, AskResponseSchema, cleanText, errorResponses } from '../schemas.ts';
import { answerHead } from '../answer-head.ts';
import { recordAnswer, type SentAnswer } from '../record-questions.ts';

const askRoute = createRoute({
  method: 'post',
  path: '/ask',
  summary: 'Answer a question from the guide, with citations',
  request: { body: { required: true, content: { 'application/json': { schema: AskRequestSchema } } } },
  responses: {
    200: {
      description:
        'A grounded answer (JSON), or Server-Sent Events when the request accepts text/event-stream: ' +
        '`citations`, one or more `delta`, then `done` (or `error`).',
      content: {
        'application/json': { schema: AskResponseSchema },
        'text/event-stream': { schema: z.string() },
      },
    },
    ...errorResponses(400, 413, 415, 429, 502, 503, 504),
  },
});

type AskDeps = Pick<AppDeps, 'index' | 'answer' | 'config' | 'logger' | 'store'>;

/**
 * POST /ask: parse the question, answer it, respond with JSON or a stream of events. Any
 * other method gets the contract's 405 naming POST. The rate limit, content type and body
 * size are checked before this (middleware/ask-guards.ts).
 */
export function mountAsk(app: App, deps: AskDeps): void {
  app.openapi(askRoute, async (c) => {
    const startedAt = performance.now();
    const index = requireIndex(deps.index);
    const body = c.req.valid('json');
    const input: AskInput = {
      question: cleanText(body.question),
      history: body.history?.map((t) => ({ role: t.role, content: cleanText(t.content) })),
      k: body.k,
    };
    c.set('question', input.question);
    // Only a model server (chat or embeddings) can be slow or fail; an extractive answer with the
    // local embedder is a millisecond of CPU with nothing to wait on or cancel, and on Node 20
    // setting up abort signals would cost a good share of it.
    const usesModelServer = deps.answer.mode === 'llm' || embedsQuestionsRemotely(index);
    const cancel = usesModelServer ? requestSignal(c.req.raw.signal, deps.config.REQUEST_TIMEOUT_MS) : NO_CANCELLATION;
    const wantsStream = (c.req.header('accept') ?? '').includes('text/event-stream');
    if (!wantsStream) {
      try {
        const response = await answerOnce(index, input, deps.answer, cancel.signal);
        c.set('grounded', response.grounded);
        c.set('support', response.support);
        recordAnswer(deps.store, c, {
          question: input.question,
          answer: response,
          startedAt,
          generation: index.generation,
        });
        return c.json(response, 200);
      } finally {
        cancel.release();
      }
    }
    const sent = { question: input.question, startedAt, generation: index.generation };
    return streamAnswer(c, answerQuestion(index, input, deps.answer, cancel.signal), cancel, deps, sent);
  });

  app.all('/ask', () => {
    throw new AppError('method_not_allowed', 'Ask with POST and a JSON body.', { Allow: 'POST' });
  });
}

/**
 * The answer as Server-Sent Events. The stream is held back until the answer has started, so
 * a failure before the first word (model server down, timeout) still gets a proper HTTP error
 * status; a failure after that is sent as an `error` event.
 */
async function streamAnswer(
  c: Context<AppEnv>,
  events: AsyncGenerator<AskEvent>,
  cancel: RequestCancellation,
  deps: Pick<AppDeps, 'logger' | 'store'>,
  sent: Omit<SentAnswer, 'answer'>,
): Promise<Response> {
  const head = await answerHead(events, cancel);
  let ended!: () => void;
  c.set('streamEnded', new Promise<void>((resolve) => (ended = resolve)));
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => cancel.abort(new DOMException('client went away', 'AbortError')));
    const send = async (event: AskEvent) => {
      if (event.type === 'done') {
        c.set('grounded', event.response.grounded);
        c.set('support', event.response.support);
        recordAnswer(deps.store, c, { ...sent, answer: event.response });
      }
      await stream.writeSSE({ event: event.type, data: JSON.stringify(eventData(event)) });
    };
    try {
      for (const event of head) await send(event);
      for await (const event of events) await send(event);
    } catch (error) {
      const appError = error instanceof AppError ? error : new AppError('internal_error');
      c.set('streamError', appError.code);
      if (!(error instanceof AppError)) deps.logger.error({ err: describeError(error) }, 'stream failed');
      if (!stream.aborted) await stream.writeSSE({ event: 'error', data: JSON.stringify(appError.toJSON()) });
    } finally {
      cancel.release();
      // A client that went away mid-answer leaves the pipeline parked at a yield; closing it
      // runs its finally blocks, which hand the upstream slot back.
      await events.return(undefined).catch(() => undefined);
      ended();
    }
  });
}

/** What each event carries: the citations, a piece of text, or the whole response. */
function eventData(event: AskEvent): unknown {
  if (event.type === 'citations') return event.citations;
  if (event.type === 'delta') return { text: event.text };
  return event.response;
}
