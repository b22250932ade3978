/** Bounds of one page fetch. */
export interface FetchPageOptions {
  /** The whole fetch, redirects and body included. */
  timeoutMs: number;
  /** The body is read as a stream and abandoned past this many bytes. */
  maxBytes: number;
  maxRedirects: number;
  signal?: AbortSignal;
}

export const FETCH_PAGE_DEFAULTS: Omit<FetchPageOptions, 'signal'> = {
  timeoutMs: 15_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
};

/** What the server said identifies the version it sent: sent back on the next fetch. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

export type PageResult =
  | { status: 'not-modified' }
  | { status: 'fetched'; html: string /** After redirects. */; url: string; validators: Validators };

/** A page that could not be fetched; `reason` is short and has no response body in it. */
export class FetchPageError extends Error {
  override name = 'FetchPageError';
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${url}: ${reason}`);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/**
 * GET a web page with a conditional request (`If-None-Match` / `If-Modified-Since` from
 * `validators`), following at most `maxRedirects` redirects to http(s) addresses, within
 * `timeoutMs`, reading at most `maxBytes`. A 304 answer is `not-modified`. Anything but an
 * HTML page throws FetchPageError.
 *
 * @example
 * const page = await fetchPage(url, FETCH_PAGE_DEFAULTS, { etag: '"v1"' });
 * if (page.status === 'fetched') extractArticle(page.html, page.url);
 */
export async function fetchPage(
  url: string,
  options: FetchPageOptions,
  validators: Validators = {},
): Promise<PageResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const fail = (reason: string): never => {
    throw new FetchPageError(url, reason);
  };
  const failed = (error: unknown): never =>
    fail(
      timeout.aborted ? `timed out after ${options.timeoutMs} ms` : signal.aborted ? 'aborted' : networkReason(error),
    );

  const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml;q=0.9' };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;

  let address = new URL(url);
  for (let redirects = 0; ; redirects++) {
    if (address.protocol !== 'http:' && address.protocol !== 'https:')
      fail(`redirected to a non-web address (${address.protocol})`);
    // Redirects are followed here, not by fetch, to bound them and check where each one leads.
    const response = await fetch(address, { headers, redirect: 'manual', signal }).catch(failed);
    if (REDIRECTS.has(response.status)) {
      await response.body?.cancel().catch(() => {});
      const location = response.headers.get('location');
      if (!location) fail(`HTTP ${response.status} redirect without a Location`);
      if (redirects >= options.maxRedirects) fail(`more than ${options.maxRedirects} redirects`);
      address = new URL(location!, address);
      continue;
    }
    if (response.status === 304) {
      await response.body?.cancel().catch(() => {});
      return { status: 'not-modified' };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      fail(`HTTP ${response.status}`);
    }
    const contentType = response.headers.get('content-type') ?? '';
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    if (!HTML_TYPES.has(mediaType)) {
      await response.body?.cancel().catch(() => {});
      fail(`not an HTML page (content type ${mediaType || 'missing'})`);
    }
    const bytes = await readLimited(response, options.maxBytes).catch(failed);
    if (bytes === null) fail(`larger than ${options.maxBytes} bytes`);
    return {
      status: 'fetched',
      html: decode(bytes!, contentType),
      url: address.href,
      validators: {
        ...(response.headers.get('etag') ? { etag: response.headers.get('etag')! } : {}),
        ...(response.headers.get('last-modified') ? { lastModified: response.headers.get('last-modified')! } : {}),
      },
    };
  }
}

/** The body, or null as soon as it grows past `maxBytes` (the rest is never downloaded). */
async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array | null> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return null;
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The charset of the Content-Type, else of a `<meta charset>` near the top, else UTF-8. */
function decode(bytes: Uint8Array, contentType: string): string {
  const declared =
    /charset="?([\w-]+)/i.exec(contentType)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(new TextDecoder('latin1').decode(bytes.subarray(0, 2048)))?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** fetch's "fetch failed" says nothing: the cause's code does (ECONNREFUSED, ENOTFOUND, …). */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : null;
  return code ? `unreachable (${code})` : 'unreachable';
}
