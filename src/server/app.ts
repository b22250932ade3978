import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { streamSSE } from 'hono/streaming';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { embedsQuestionsRemotely, type LoadedIndex } from '../index/loaded-index.ts';
import { answerOnce, answerQuestion, type AnswerDeps } from '../rag/answer-question.ts';
import type { AskEvent, AskResponse } from '../rag/types.ts';
import type { QuestionStore } from '../storage/question-store.ts';
import type { Logger } from './logger.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { renderSourcePage, SOURCE_CSS } from './render-source.ts';
import { NO_CANCELLATION, requestSignal } from './request-signal.ts';
import { BODY_LIMIT_BYTES } from './request-limits.ts';
import { AskRequestSchema, AskResponseSchema, cleanText, ErrorSchema, HealthSchema } from './schemas.ts';
import { recordQuestions } from './record-questions.ts';
import { registerAdmin } from './routes/admin.ts';
import { registerFeedback } from './routes/feedback.ts';

/** Where the generation being served comes from: a watched folder on Node, a bundle on Workers. */
export interface IndexSource {
  current(): LoadedIndex | null;
}

export interface AppDeps {
  config: Pick<Config, 'REQUEST_TIMEOUT_MS' | 'ALLOWED_ORIGINS' | 'LOG_QUESTIONS' | 'ADMIN_TOKEN'>;
  index: IndexSource;
  answer: AnswerDeps;
  logger: Logger;
  rateLimiter: RateLimiter;
  /** The client's address for rate limiting (the socket on Node, CF-Connecting-IP on Workers). */
  clientAddress(c: Context): string;
  /** Recorded questions and feedback; without it nothing is recorded and /feedback finds no answer. */
  store?: QuestionStore;
  /** Serves the built web UI (static files); platform-specific. */
  assets?: MiddlewareHandler;
}

/**
 * The JSON content types the route's validators read, exactly (@hono/zod-openapi's request
 * matcher): anything else gets the contract's 415 here, rather than reaching a validator that
 * answers with its own 415 or silently validates an empty body.
 */
const JSON_CONTENT_TYPE = /^application\/([a-z.-]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/** Per-request values the access log reads after the handler has run. */
export type AppEnv = {
  Variables: {
    question?: string;
    /** The answer sent (for an SSE answer, once its `done` event is sent), for recording. */
    answer?: AskResponse;
    grounded?: boolean;
    /** Set for an SSE answer: settles when the stream ends, which is when it is logged. */
    streamEnded?: Promise<void>;
    /** The error code an SSE answer ended with after it started. */
    streamError?: string;
  };
};

/** One CSP for every page we serve: nothing inline, nothing from elsewhere. */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } }]));

const askRoute = createRoute({
  method: 'post',
  path: '/ask',
  summary: 'Answer a question from the guide, with citations',
  request: { body: { required: true, content: { 'application/json': { schema: AskRequestSchema } } } },
  responses: {
    200: {
      description: 'A grounded answer (JSON), or Server-Sent Events when the request accepts text/event-stream: `citations`, one or more `delta`, then `done` (or `error`).',
      content: {
        'application/json': { schema: AskResponseSchema },
        'text/event-stream': { schema: z.string() },
      },
    },
    ...errorResponses(400, 413, 415, 429, 502, 503, 504),
  },
});

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness and the index generation being served',
  responses: { 200: { description: 'OK', content: { 'application/json': { schema: HealthSchema } } }, ...errorResponses(503) },
});

const sourceRoute = createRoute({
  method: 'get',
  path: '/source/{document}',
  summary: 'A corpus document rendered as HTML; each section heading has id = its anchor',
  request: { params: z.object({ document: z.string().min(1).max(200) }) },
  responses: { 200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } }, ...errorResponses(404, 503) },
});

/**
 * Build the Hono app from injected dependencies. No platform code lives here: node.ts and
 * worker.ts build the dependencies for their runtime and hand over `app.fetch`.
 */
export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    // Schema violations become the contract's 400, naming the field.
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const field = issue?.path.length ? issue.path.join('.') : 'body';
        throw new AppError('invalid_request', `${field}: ${issue?.message ?? 'invalid value'}`);
      }
    },
  });

  app.use('*', requestLog(deps));
  app.use('*', secureHeaders({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, crossOriginEmbedderPolicy: false, referrerPolicy: 'no-referrer' }));
  // CORS stays closed (same origin only) unless origins are listed explicitly.
  if (deps.config.ALLOWED_ORIGINS.length) {
    app.use('*', cors({ origin: deps.config.ALLOWED_ORIGINS, allowMethods: ['GET', 'POST'], allowHeaders: ['Content-Type', 'Accept'], maxAge: 600 }));
  }

  app.use('/ask', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const limit = await deps.rateLimiter.check(deps.clientAddress(c));
    if (!limit.allowed) throw new AppError('rate_limited', undefined, { 'Retry-After': String(limit.retryAfter) });
    if (!JSON_CONTENT_TYPE.test(c.req.header('content-type') ?? '')) throw new AppError('unsupported_media_type');
    return next();
  });
  // Enforced while the body streams in, not only from Content-Length.
  const limitBody = bodyLimit({ maxSize: BODY_LIMIT_BYTES, onError: () => { throw new AppError('payload_too_large'); } });
  app.use('/ask', (c, next) => {
    // bodyLimit's own rule for a request with Content-Length and no Transfer-Encoding (the
    // HTTP parser never reads past the length), applied without touching c.req.raw.body: on
    // Node that builds a web stream for every request instead of letting the validator read
    // the body directly, a third of the HTTP cost of /ask. Chunked bodies go to bodyLimit.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return limitBody(c, next);
    if (parseInt(length || '0', 10) > BODY_LIMIT_BYTES) throw new AppError('payload_too_large');
    return next();
  });
  if (deps.store?.recording) app.use('/ask', recordQuestions({ ...deps, store: deps.store }));

  app.openapi(askRoute, async (c) => {
    const index = requireIndex(deps);
    const body = c.req.valid('json');
    const input = {
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
        c.set('answer', response);
        return c.json(response, 200);
      } finally {
        cancel.release();
      }
    }

    const events = answerQuestion(index, input, deps.answer, cancel.signal);
    // Hold the stream back until the answer has started, so a failure before the first
    // word (model server down, timeout) still gets a proper HTTP error status.
    // Pulled with next(), not for-await: leaving a for-await loop early (break) calls return()
    // on the generator and ends the answer after its first word.
    const head: AskEvent[] = [];
    try {
      for (let step = await events.next(); !step.done; step = await events.next()) {
        head.push(step.value);
        if (step.value.type !== 'citations') break;
      }
    } catch (error) {
      cancel.release();
      throw error;
    }
    let ended!: () => void;
    c.set('streamEnded', new Promise<void>((resolve) => (ended = resolve)));
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => cancel.abort(new DOMException('client went away', 'AbortError')));
      const send = async (event: AskEvent) => {
        if (event.type === 'done') {
          c.set('grounded', event.response.grounded);
          c.set('answer', event.response);
        }
        const data = event.type === 'citations' ? event.citations : event.type === 'delta' ? { text: event.text } : event.response;
        await stream.writeSSE({ event: event.type, data: JSON.stringify(data) });
      };
      try {
        for (const event of head) await send(event);
        for await (const event of events) await send(event);
      } catch (error) {
        const appError = error instanceof AppError ? error : new AppError('internal_error');
        c.set('streamError', appError.code);
        if (!(error instanceof AppError)) deps.logger.error({ err: describe(error) }, 'stream failed');
        if (!stream.aborted) await stream.writeSSE({ event: 'error', data: JSON.stringify(appError.toJSON()) });
      } finally {
        cancel.release();
        // A client that went away mid-answer leaves the pipeline parked at a yield; closing it
        // runs its finally blocks, which hand the upstream slot back.
        await events.return(undefined).catch(() => undefined);
        ended();
      }
    });
  });

  app.openapi(healthRoute, (c) => {
    const index = requireIndex(deps);
    return c.json(
      {
        status: 'ok' as const,
        index: {
          documents: index.manifest.counts.documents,
          chunks: index.manifest.counts.chunks,
          embedder: index.manifest.embedder.model ? `${index.manifest.embedder.id}:${index.manifest.embedder.model}` : index.manifest.embedder.id,
          builtAt: index.manifest.createdAt,
          generation: index.generation,
        },
      },
      200,
    );
  });

  app.openapi(sourceRoute, (c) => {
    const index = requireIndex(deps);
    const doc = index.documents.get(c.req.valid('param').document);
    if (!doc) throw new AppError('not_found', 'No such document in the corpus.');
    return c.html(renderSourcePage(doc), 200);
  });

  registerFeedback(app, deps);
  registerAdmin(app, deps);

  app.get('/source.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(SOURCE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Ask the Guide', version: '1.0.0', description: 'Answers questions from a guidance article, every claim cited to the passage it came from.' },
  });

  if (deps.assets) app.use('*', deps.assets);

  app.notFound(() => {
    throw new AppError('not_found');
  });

  app.onError((error, c) => {
    const appError = toAppError(error);
    if (appError.status >= 500 && !(error instanceof AppError)) deps.logger.error({ err: describe(error), route: c.req.path }, 'unhandled error');
    for (const [name, value] of Object.entries(appError.headers)) c.header(name, value);
    return c.json(appError.toJSON(), appError.status as 400);
  });

  return app;
}

function requireIndex(deps: AppDeps): LoadedIndex {
  const index = deps.index.current();
  if (!index) throw new AppError('index_unavailable');
  return index;
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    // Hono's JSON validator throws 400 for a body that is not valid JSON.
    if (error.status === 400) return new AppError('invalid_request', 'body: malformed JSON');
    if (error.status === 413) return new AppError('payload_too_large');
    if (error.status === 415) return new AppError('unsupported_media_type');
  }
  return new AppError('internal_error');
}

/** Structured access log: request id, route, status, latency, mode, grounded. Never a key. */
function requestLog(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = crypto.randomUUID();
    c.header('X-Request-Id', requestId);
    await next();
    const write = () => {
      const question = c.get('question');
      const streamError = c.get('streamError');
      deps.logger.info({
        requestId,
        method: c.req.method,
        route: c.req.routePath === '/*' ? c.req.path : c.req.routePath,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(c.req.path === '/ask' ? { mode: deps.answer.mode, grounded: c.get('grounded') } : {}),
        ...(streamError ? { error: streamError } : {}),
        ...(deps.config.LOG_QUESTIONS && question ? { question } : {}),
      });
    };
    // An SSE answer is still running when the handler returns: log it when it ends, with
    // its grounded flag and its full latency.
    const streamEnded = c.get('streamEnded');
    if (streamEnded) void streamEnded.then(write);
    else write();
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
