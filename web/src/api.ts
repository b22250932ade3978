import { parseSse } from './sse.ts';
import type { AskResponse, ChatTurn, Citation } from './types.ts';

export interface AskRequest {
  question: string;
  history?: ChatTurn[];
}

/** What the answer stream yields, in order: citations, one or more deltas, done. */
export type AskStreamEvent =
  | { type: 'citations'; citations: Citation[] }
  | { type: 'delta'; text: string }
  | { type: 'done'; response: AskResponse };

/** How a request failed, in the terms the UI explains it. */
export type AskErrorKind = 'rate_limited' | 'server' | 'request' | 'network' | 'interrupted';

export class AskError extends Error {
  override name = 'AskError';
  constructor(
    readonly kind: AskErrorKind,
    message: string,
    readonly code?: string,
    /** Seconds to wait before asking again (from Retry-After), for `rate_limited`. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/**
 * POST /ask and stream the answer. Errors arrive as an `AskError` (HTTP errors, an `error`
 * event, a dropped connection, a stream that ends without `done`); cancelling `signal`
 * rejects with the signal's AbortError. `endpoint` is /ask on this page's origin unless given
 * (the widget passes the absolute URL on the assistant's origin).
 *
 * @example
 * for await (const event of askStream({ question }, controller.signal)) render(event);
 */
export async function* askStream(
  request: AskRequest,
  signal: AbortSignal,
  endpoint = '/ask',
): AsyncGenerator<AskStreamEvent> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify(request),
      signal,
    });
  } catch (error) {
    throw signal.aborted
      ? error
      : new AskError('network', 'Could not reach the guide. Check your connection and try again.');
  }
  if (!response.ok) throw await httpError(response);

  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream') || !response.body) {
    // A server (or proxy) that answered with plain JSON: still a complete answer.
    const body = asResponse(await response.json().catch(() => null));
    if (!body) throw new AskError('server', 'The guide sent an answer this page cannot read.');
    yield { type: 'citations', citations: body.citations };
    yield { type: 'delta', text: body.answer };
    yield { type: 'done', response: body };
    return;
  }

  try {
    for await (const message of parseSse(response.body, signal)) {
      const data = parseJson(message.data);
      if (message.event === 'citations') {
        yield { type: 'citations', citations: asCitations(data) };
      } else if (message.event === 'delta') {
        const text = (data as { text?: unknown } | undefined)?.text;
        if (typeof text === 'string') yield { type: 'delta', text };
      } else if (message.event === 'done') {
        const body = asResponse(data);
        if (!body) throw new AskError('server', 'The guide sent an answer this page cannot read.');
        yield { type: 'done', response: body };
        return;
      } else if (message.event === 'error') {
        const { code, message: text } = errorBody(data);
        throw new AskError(kindFor(code), text ?? 'The answer failed part-way. Try again.', code);
      }
    }
  } catch (error) {
    if (signal.aborted || error instanceof AskError) throw error;
    throw new AskError('interrupted', 'The connection dropped before the answer was complete.');
  }
  if (signal.aborted) throw signal.reason;
  throw new AskError('interrupted', 'The answer was cut off before it was complete.');
}

async function httpError(response: Response): Promise<AskError> {
  const { code, message } = errorBody(await response.json().catch(() => null));
  if (response.status === 429) {
    return new AskError(
      'rate_limited',
      message ?? 'Too many questions in a short time.',
      code,
      retryAfterSeconds(response.headers.get('retry-after')),
    );
  }
  if (response.status >= 500)
    return new AskError('server', message ?? `The guide had a problem (HTTP ${response.status}).`, code);
  return new AskError('request', message ?? `The request was refused (HTTP ${response.status}).`, code);
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function kindFor(code: string | undefined): AskErrorKind {
  if (code === 'rate_limited') return 'rate_limited';
  if (code === 'invalid_request' || code === 'payload_too_large' || code === 'unsupported_media_type') return 'request';
  return 'server';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorBody(data: unknown): { code?: string; message?: string } {
  const error = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
    ...(typeof error?.message === 'string' && error.message ? { message: error.message } : {}),
  };
}

/** Keep only well-formed citations: the UI trusts nothing it did not check. */
function asCitations(data: unknown): Citation[] {
  if (!Array.isArray(data)) return [];
  return data.filter((c): c is Citation => {
    const x = c as Partial<Citation> | null;
    return (
      !!x &&
      typeof x.id === 'number' &&
      typeof x.document === 'string' &&
      typeof x.section === 'string' &&
      typeof x.anchor === 'string' &&
      typeof x.url === 'string' &&
      typeof x.sourceUrl === 'string' &&
      typeof x.quote === 'string' &&
      typeof x.score === 'number'
    );
  });
}

function asResponse(data: unknown): AskResponse | null {
  const x = data as Partial<AskResponse> | null;
  if (!x || typeof x.answer !== 'string' || typeof x.grounded !== 'boolean') return null;
  const support =
    x.support === 'answered' || x.support === 'related' || x.support === 'none'
      ? x.support
      : x.grounded
        ? 'answered'
        : 'none';
  return {
    answer: x.answer,
    grounded: x.grounded,
    support,
    id: typeof x.id === 'string' ? x.id : '',
    mode: x.mode === 'llm' ? 'llm' : 'extractive',
    citations: asCitations(x.citations),
  };
}
