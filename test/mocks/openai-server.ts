import { createHash } from 'node:crypto';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/**
 * A tiny typed stand-in for the OpenAI HTTP API, built on msw: it answers at the HTTP edge
 * (the openai SDK's global fetch) and records every request it handled, so tests assert on
 * what was actually sent. Any request no handler matches fails the test
 * (`onUnhandledRequest: 'error'`): no test can reach the network.
 *
 * Built in: `POST {base}/embeddings`, answering base64 float32 when the request asks for
 * `encoding_format: "base64"` (the openai SDK's default) and plain arrays otherwise.
 * Add more endpoints (e.g. `/chat/completions`) with `openai.on(...)`, or with
 * `openai.use(...)` and msw handlers that call `openai.record(request)`. A resolver given to `on`
 * may return undefined to let the built-in handler answer (e.g. fail only the first batch).
 *
 * @example
 * const openai = useOpenAITestServer({ dims: 8 });
 * openai.on('/chat/completions', ({ body }) => HttpResponse.json({ ... }));
 * // ... run code using OPENAI_BASE_URL=OPENAI_TEST_BASE_URL ...
 * expect(openai.requestsTo('/embeddings')).toHaveLength(2);
 */

export const OPENAI_TEST_BASE_URL = 'https://api.openai.test/v1';
export const OPENAI_TEST_API_KEY = 'test';

export interface RecordedRequest<TBody = unknown> {
  method: string;
  url: URL;
  headers: Headers;
  /** Parsed JSON body (or the raw text when it is not JSON; undefined when empty). */
  body: TBody;
}

export interface EmbeddingsRequestBody {
  model: string;
  input: string | string[];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
}

export interface OpenAITestServerOptions {
  /** Dimensions of the fake embedding model; default 16. */
  dims?: number;
  /** The fake model: a vector for a text. Default: `fakeEmbedding` (deterministic, from sha256). */
  embed?: (text: string, dims: number) => number[];
}

/** Answers a request; returning undefined falls through to the next handler (e.g. the built-in one). */
export type Resolver<TBody> = (context: {
  request: Request;
  body: TBody;
  url: URL;
}) => Response | undefined | Promise<Response | undefined>;

export interface OpenAITestServer {
  readonly server: SetupServer;
  readonly dims: number;
  /** Every request a handler of this server recorded, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Recorded requests whose path ends with `path`, e.g. `'/embeddings'`. */
  requestsTo<TBody = unknown>(path: string): Array<RecordedRequest<TBody>>;
  /** The embeddings requests recorded so far, typed. */
  embeddingRequests(): Array<RecordedRequest<EmbeddingsRequestBody>>;
  /** Record a request from a custom handler and return its parsed body. */
  record(request: Request): Promise<unknown>;
  /** Prepend msw handlers (they win over the built-in ones) until `reset()`. */
  use(...handlers: RequestHandler[]): void;
  /** Prepend a recorded POST handler for `{base}{path}`; `once` makes it answer a single time. */
  on<TBody = unknown>(path: string, resolver: Resolver<TBody>, options?: { once?: boolean }): void;
  /** The vector the built-in embeddings handler answers for a text. */
  vectorFor(text: string): number[];
  listen(): void;
  /** Forget the requests recorded so far (handlers stay). */
  clearRequests(): void;
  /** Drop handlers added by `use`/`on` and forget recorded requests. */
  reset(): void;
  close(): void;
}

/** A deterministic pseudo-random vector for a text: distinct texts get distinct vectors. */
export function fakeEmbedding(text: string, dims: number): number[] {
  const out: number[] = [];
  for (let block = 0; out.length < dims; block++) {
    const digest = createHash('sha256').update(`${block}\u0000${text}`).digest();
    for (let i = 0; i + 2 <= digest.length && out.length < dims; i += 2) out.push(digest.readUInt16LE(i) / 32768 - 1);
  }
  return out;
}

/** float32 little-endian bytes, base64: what the OpenAI API answers for `encoding_format: "base64"`. */
export function encodeBase64Float32(vector: number[]): string {
  return Buffer.from(Float32Array.from(vector).buffer).toString('base64');
}

/** An embeddings answer, a vector from `vector` per input, base64-encoded when the request asks for it. */
export function embeddingsResponse(body: EmbeddingsRequestBody, vector: (text: string) => number[]): Response {
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  const base64 = body.encoding_format === 'base64';
  const tokens = inputs.reduce((n, text) => n + text.split(/\s+/).length, 0);
  return HttpResponse.json({
    object: 'list',
    model: body.model,
    data: inputs.map((text, index) => {
      const embedding = vector(text);
      return { object: 'embedding', index, embedding: base64 ? encodeBase64Float32(embedding) : embedding };
    }),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

export function createOpenAITestServer(options: OpenAITestServerOptions = {}): OpenAITestServer {
  const dims = options.dims ?? 16;
  const embed = options.embed ?? fakeEmbedding;
  const requests: RecordedRequest[] = [];

  const parse = async (request: Request): Promise<unknown> => {
    const text = await request.clone().text();
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  const push = (request: Request, body: unknown) => {
    requests.push({ method: request.method, url: new URL(request.url), headers: new Headers(request.headers), body });
  };
  const record = async (request: Request): Promise<unknown> => {
    const body = await parse(request);
    push(request, body);
    return body;
  };

  const post = <TBody>(path: string, resolver: Resolver<TBody>, once = false) =>
    http.post(
      `*${path}`,
      async ({ request }) => {
        const body = (await parse(request)) as TBody;
        const response = await resolver({ request, body, url: new URL(request.url) });
        // No response: fall through to the next handler (which records the request itself).
        if (response) push(request, body);
        return response;
      },
      { once },
    );

  const embeddingsHandler = post<EmbeddingsRequestBody>('/embeddings', ({ body }) =>
    embeddingsResponse(body, (text) => embed(text, dims)),
  );

  const server = setupServer(embeddingsHandler);

  return {
    server,
    dims,
    requests,
    requestsTo: <TBody>(path: string) =>
      requests.filter((r) => r.url.pathname.endsWith(path)) as Array<RecordedRequest<TBody>>,
    embeddingRequests: () =>
      requests.filter((r) => r.url.pathname.endsWith('/embeddings')) as Array<RecordedRequest<EmbeddingsRequestBody>>,
    record,
    use: (...handlers) => server.use(...handlers),
    on: (path, resolver, opts) => server.use(post(path, resolver, opts?.once ?? false)),
    vectorFor: (text) => embed(text, dims),
    listen: () => server.listen({ onUnhandledRequest: 'error' }),
    clearRequests: () => {
      requests.length = 0;
    },
    reset: () => {
      server.resetHandlers();
      requests.length = 0;
    },
    close: () => server.close(),
  };
}

/** Create the server and wire it to the current test file's lifecycle (listen, reset, close). */
export function useOpenAITestServer(options: OpenAITestServerOptions = {}): OpenAITestServer {
  const openai = createOpenAITestServer(options);
  beforeAll(() => openai.listen());
  afterEach(() => openai.reset());
  afterAll(() => openai.close());
  return openai;
}
