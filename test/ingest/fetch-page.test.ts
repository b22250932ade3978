import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FETCH_PAGE_DEFAULTS, fetchPage, FetchPageError, type FetchPageOptions } from '../../src/ingest/fetch-page.ts';
import { articlePage, startPageServer, versionedPage, type PageServer } from '../helpers/page-server.ts';

const ETAG = '"article-v1"';
const LAST_MODIFIED = 'Fri, 24 May 2024 08:00:00 GMT';
const options: FetchPageOptions = { ...FETCH_PAGE_DEFAULTS, timeoutMs: 5_000 };

let server: PageServer;
beforeAll(async () => {
  server = await startPageServer({
    '/article': versionedPage(articlePage, ETAG, LAST_MODIFIED),
    '/moved': (_req, res) => void res.writeHead(301, { location: '/article' }).end(),
    '/moved-twice': (_req, res) => void res.writeHead(302, { location: `${server.origin}/moved` }).end(),
    '/loop': (_req, res) => void res.writeHead(302, { location: '/loop' }).end(),
    '/to-ftp': (_req, res) => void res.writeHead(302, { location: 'ftp://files.example/page' }).end(),
    '/gone': (_req, res) => void res.writeHead(410, { 'content-type': 'text/html' }).end('<p>gone</p>'),
    '/data.json': (_req, res) =>
      void res.writeHead(200, { 'content-type': 'application/json' }).end('{"title":"not a page"}'),
    '/no-type': (_req, res) => void res.writeHead(200).end('<p>what am I?</p>'),
    '/latin1': (_req, res) =>
      void res
        .writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' })
        .end(Buffer.from('<p>Caf\u00e9 cr\u00e8me</p>', 'latin1')),
    '/meta-charset': (_req, res) =>
      void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          Buffer.concat([
            Buffer.from('<html><head><meta charset="iso-8859-1"></head><body><p>'),
            Buffer.from('na\u00efve r\u00e9sum\u00e9', 'latin1'),
            Buffer.from('</p></body></html>'),
          ]),
        ),
    // An endless page: the server writes while the client reads; past the limit the client must hang up.
    '/huge': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, '<p>filler filler filler</p>');
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    },
    '/huge-declared': (_req, res) =>
      void res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) }).end(),
    '/slow': () => {
      // Never answers: the fetch's timeout must end it.
    },
  });
});
afterAll(() => server.close());

async function failure(path: string, extra: Partial<FetchPageOptions> = {}): Promise<FetchPageError> {
  const error = await fetchPage(server.url(path), { ...options, ...extra }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FetchPageError);
  expect((error as FetchPageError).url).toBe(server.url(path));
  expect((error as Error).message).not.toContain('\n');
  return error as FetchPageError;
}

describe('fetchPage', () => {
  it('fetches an HTML page with its validators', async () => {
    const page = await fetchPage(server.url('/article'), options);
    expect(page).toMatchObject({
      status: 'fetched',
      url: server.url('/article'),
      validators: { etag: ETAG, lastModified: LAST_MODIFIED },
    });
    expect(page.status === 'fetched' && page.html).toContain('Moving from Sales to Product Management');
  });

  it('sends the validators it is given and reports a 304 as not modified', async () => {
    const before = server.seen.length;
    const page = await fetchPage(server.url('/article'), options, { etag: ETAG, lastModified: LAST_MODIFIED });
    expect(page).toEqual({ status: 'not-modified' });
    const request = server.seen[before]!;
    expect(request.headers['if-none-match']).toBe(ETAG);
    expect(request.headers['if-modified-since']).toBe(LAST_MODIFIED);
  });

  it('sends no conditional headers without validators', async () => {
    const before = server.seen.length;
    await fetchPage(server.url('/article'), options);
    expect(server.seen[before]!.headers).not.toHaveProperty('if-none-match');
    expect(server.seen[before]!.headers).not.toHaveProperty('if-modified-since');
  });

  it('follows redirects and reports where it landed', async () => {
    const page = await fetchPage(server.url('/moved-twice'), options);
    expect(page).toMatchObject({ status: 'fetched', url: server.url('/article') });
  });

  it.each([
    ['/loop', {}, /^more than 5 redirects$/],
    ['/moved', { maxRedirects: 0 }, /^more than 0 redirects$/],
    ['/to-ftp', {}, /^redirected to a non-web address \(ftp:\)$/],
    ['/missing', {}, /^HTTP 404$/],
    ['/gone', {}, /^HTTP 410$/],
    ['/data.json', {}, /^not an HTML page \(content type application\/json\)$/],
    ['/no-type', {}, /^not an HTML page \(content type missing\)$/],
    ['/huge-declared', {}, /^larger than 5242880 bytes$/],
    ['/slow', { timeoutMs: 300 }, /^timed out after 300 ms$/],
  ])('refuses %s with a one-line reason', async (path, extra, reason) => {
    expect((await failure(path, extra)).reason).toMatch(reason);
  });

  it('stops reading a body past the size limit and hangs up', async () => {
    const before = server.seen.length;
    const started = performance.now();
    expect((await failure('/huge', { maxBytes: 1024 * 1024 })).reason).toBe('larger than 1048576 bytes');
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect.poll(() => server.seen[before]!.abandoned).toBe(true);
  });

  it('names an unreachable address', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const error = await fetchPage(`http://127.0.0.1:${port}/page`, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchPageError);
    expect((error as FetchPageError).reason).toBe('unreachable (ECONNREFUSED)');
  });

  it('decodes the charset the response or the page declares', async () => {
    const latin1 = await fetchPage(server.url('/latin1'), options);
    expect(latin1.status === 'fetched' && latin1.html).toBe('<p>Café crème</p>');
    const declared = await fetchPage(server.url('/meta-charset'), options);
    expect(declared.status === 'fetched' && declared.html).toContain('<p>naïve résumé</p>');
  });
});
