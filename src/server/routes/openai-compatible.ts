import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { embedsQuestionsRemotely, type LoadedIndex } from '../../index/loaded-index.ts';
import { newAnswerId } from '../../rag/answer-id.ts';
import { answerOnce, answerQuestion } from '../../rag/answer-question.ts';
import { markersIn } from '../../rag/citations.ts';
import type { AskEvent, AskResponse, Citation } from '../../rag/types.ts';
import { AppError } from '../../errors.ts';
import type { AppDeps } from '../app.ts';
import { apiAccess } from '../api-access.ts';
import { apiKeys } from '../api-keys.ts';
import { MODEL_ID, readChatCompletionRequest, type ChatCompletionRequest } from '../chat-completion-request.ts';
import { limitBody } from '../limit-body.ts';
import { invalidRequest, toOpenAiError } from '../openai-error.ts';
import { NO_CANCELLATION, requestSignal, type RequestCancellation } from '../request-signal.ts';
import { sourcesList } from '../sources-list.ts';
import { answerHead } from '../answer-head.ts';
import { recordAnswer, type SentAnswer } from '../record-questions.ts';

/**
 * The OpenAI-compatible API, mounted at /v1: `GET /models` (one model, `ask-the-guide`) and
 * `POST /chat/completions`, answered by the same pipeline as POST /ask, so the content is the
 * same cited answer (plus a Sources list of links) and `citations` are /ask's own objects.
 * Extras beside OpenAI's fields, as Perplexity's API has them: `citations` and `support`;
 * the completion `id` is the answer's id, which POST /feedback rates. Every error is in
 * OpenAI's shape; `usage` estimates tokens at four characters each (there is no tokenizer).
 */
export function openAiCompatibleRoutes(deps: AppDeps): Hono {
  const v1 = new Hono();
  v1.use(
    '*',
    apiAccess({
      keys: apiKeys(deps.config.API_KEYS),
      rateLimiter: deps.rateLimiter,
      clientAddress: deps.clientAddress,
    }),
  );
  v1.use('*', limitBody());

  v1.get('/models', (c) =>
    c.json({
      object: 'list',
      data: [{ id: MODEL_ID, object: 'model', created: MODEL_CREATED, owned_by: 'ask-the-guide' }],
    }),
  );
  v1.get('/models/:model', (c) => {
    if (c.req.param('model') !== MODEL_ID)
      throw new AppError('not_found', `The model \`${c.req.param('model')}\` does not exist.`);
    return c.json({ id: MODEL_ID, object: 'model', created: MODEL_CREATED, owned_by: 'ask-the-guide' });
  });

  v1.post('/chat/completions', async (c) => {
    const startedAt = performance.now();
    const body: unknown = await c.req.json().catch(() => {
      throw invalidRequest('The body is not valid JSON.');
    });
    const request = readChatCompletionRequest(body);
    const index = deps.index.current();
    if (!index) throw new AppError('index_unavailable');
    const cancel = cancellation(deps, index, c);
    const sent = { question: request.input.question, startedAt, generation: index.generation };
    if (!request.stream) {
      try {
        const response = await answerOnce(index, request.input, deps.answer, cancel.signal);
        recordAnswer(deps.store, c, { ...sent, answer: response });
        return c.body(completionJson(response, request, origin(c)), 200, { 'Content-Type': 'application/json' });
      } finally {
        cancel.release();
      }
    }
    const events = answerQuestion(index, request.input, deps.answer, cancel.signal);
    return streamCompletion(c, deps, events, request, cancel, sent);
  });

  v1.all('*', () => {
    throw new AppError('not_found', 'No such endpoint: /v1 has GET /v1/models and POST /v1/chat/completions.');
  });
  v1.onError((error, c) => {
    const openAiError = toOpenAiError(error);
    if (openAiError.status >= 500 && !(error instanceof AppError)) {
      deps.logger.error({ err: describe(error), route: c.req.path }, 'unhandled error');
    }
    for (const [name, value] of Object.entries(openAiError.headers)) c.header(name, value);
    return c.json(openAiError.toJSON(), openAiError.status as 400);
  });
  return v1;
}

/** A fixed date for the one model (OpenAI lists when each model was created). */
const MODEL_CREATED = 1_767_225_600;

/**
 * Only a model server can be slow or fail; an extractive answer with the local embedder has
 * nothing to wait on or cancel (see POST /ask).
 */
function cancellation(deps: AppDeps, index: LoadedIndex, c: Context): RequestCancellation {
  const usesModelServer = deps.answer.mode === 'llm' || embedsQuestionsRemotely(index);
  return usesModelServer ? requestSignal(c.req.raw.signal, deps.config.REQUEST_TIMEOUT_MS) : NO_CANCELLATION;
}

/**
 * The completion as JSON: OpenAI's object (with `citations` and `support` beside its fields),
 * written around the serialised parts kept per answer (completionParts), so that a cached
 * answer's repeat does not serialise its answer, Sources list and citations again.
 */
function completionJson(response: AskResponse, request: ChatCompletionRequest, from: string): string {
  const parts = completionParts(response, from);
  return (
    `{"id":${JSON.stringify(response.id)},"object":"chat.completion","created":${now()},"model":${MODEL_ID_JSON},` +
    `"choices":[{"index":0,"message":{"role":"assistant","content":${parts.contentJson},"refusal":null},` +
    `"logprobs":null,"finish_reason":"stop"}],"usage":${JSON.stringify(usage(request, parts.content))},` +
    `"citations":${parts.citationsJson},"support":${JSON.stringify(response.support)}}`
  );
}

const MODEL_ID_JSON = JSON.stringify(MODEL_ID);

interface CompletionParts {
  answer: string;
  origin: string;
  /** The answer and its Sources list. */
  content: string;
  contentJson: string;
  citationsJson: string;
}

/**
 * A completion's content (the answer and its Sources list) and its serialised parts, kept per
 * citations array: an answer served from the cache comes with the cached answer's text and
 * citations, so a repeat (from the same origin) reuses what was built and serialised before.
 */
function completionParts(response: AskResponse, from: string): CompletionParts {
  const kept = partsByCitations.get(response.citations);
  if (kept?.answer === response.answer && kept.origin === from) return kept;
  const content = response.answer + sourcesList(response.citations, from);
  const parts = {
    answer: response.answer,
    origin: from,
    content,
    contentJson: JSON.stringify(content),
    citationsJson: JSON.stringify(response.citations),
  };
  partsByCitations.set(response.citations, parts);
  return parts;
}

const partsByCitations = new WeakMap<readonly Citation[], CompletionParts>();

/**
 * `chat.completion.chunk` events as the answer streams: the first carries the role and the
 * citations (known before the first word), then one per piece of the answer, then the Sources
 * list, then a last chunk with finish_reason "stop", `citations` and `support`, then
 * `data: [DONE]`. As on POST /ask the stream is held back until the answer has started, so a
 * failure before the first word still gets a proper status; a failure after it is sent as
 * `data: {"error": ...}`, which the openai client raises.
 *
 * Every chunk names the completion, and the pipeline names its answer only when it ends, so
 * the id is chosen here, fresh as the pipeline's would be, and the recorded answer takes it.
 * The streamed pieces refer to the passages as the first chunk numbers them (with a model,
 * the final answer of POST /ask renumbers its markers afterwards), so the Sources list and the
 * last chunk's citations are the first chunk's, those the streamed text refers to.
 */
async function streamCompletion(
  c: Context,
  deps: AppDeps,
  events: AsyncGenerator<AskEvent>,
  request: ChatCompletionRequest,
  cancel: RequestCancellation,
  sent: Omit<SentAnswer, 'answer'>,
) {
  const head = await answerHead(events, cancel);
  const id = newAnswerId();
  const created = now();
  const from = origin(c);
  const chunk = (delta: Record<string, string>, finish: 'stop' | null, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model: MODEL_ID,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...extra,
    });

  return streamSSE(c, async (stream) => {
    stream.onAbort(() => cancel.abort(new DOMException('client went away', 'AbortError')));
    let citations: Citation[] = [];
    let text = '';
    const send = async (event: AskEvent) => {
      if (event.type === 'citations') {
        citations = event.citations;
        await stream.writeSSE({ data: chunk({ role: 'assistant', content: '' }, null, { citations }) });
      } else if (event.type === 'delta') {
        text += event.text;
        await stream.writeSSE({ data: chunk({ content: event.text }, null) });
      } else {
        const referred = new Set(markersIn(text));
        const shown = citations.filter((citation) => referred.has(citation.id));
        const sources = sourcesList(shown, from);
        if (sources) await stream.writeSSE({ data: chunk({ content: sources }, null) });
        await stream.writeSSE({ data: chunk({}, 'stop', { citations: shown, support: event.response.support }) });
        recordAnswer(deps.store, c, { ...sent, answer: { ...event.response, id, citations: shown } });
        if (request.includeUsage) {
          const tail = {
            id,
            object: 'chat.completion.chunk',
            created,
            model: MODEL_ID,
            choices: [],
            usage: usage(request, text + sources),
          };
          await stream.writeSSE({ data: JSON.stringify(tail) });
        }
      }
    };
    try {
      for (const event of head) await send(event);
      for await (const event of events) await send(event);
      await stream.writeSSE({ data: '[DONE]' });
    } catch (error) {
      if (!(error instanceof AppError)) deps.logger.error({ err: describe(error) }, 'stream failed');
      if (!stream.aborted) await stream.writeSSE({ data: JSON.stringify(toOpenAiError(error).toJSON()) });
    } finally {
      cancel.release();
      // A client that went away leaves the pipeline parked at a yield; closing it runs its
      // finally blocks, which hand the upstream slot back.
      await events.return(undefined).catch(() => undefined);
    }
  });
}

/**
 * OpenAI's usage fields, estimated: the guide has no tokenizer, so a token is taken to be four
 * characters (OpenAI's own rule of thumb for English). Cheap to compute on every completion,
 * where counting words would walk every character of the answer.
 */
function usage(request: ChatCompletionRequest, content: string) {
  const promptChars = (request.input.history ?? []).reduce(
    (n, t) => n + t.content.length,
    request.input.question.length,
  );
  const prompt = Math.ceil(promptChars / CHARS_PER_TOKEN);
  const completion = Math.ceil(content.length / CHARS_PER_TOKEN);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

const CHARS_PER_TOKEN = 4;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function origin(c: Context): string {
  return new URL(c.req.url).origin;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
