import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pagesFixtureDir } from './pages.ts';

/** A request the page server saw, and whether its client hung up before the response ended. */
export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
  abandoned: boolean;
}

export type PageHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export interface PageServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  url(path: string): string;
  /** Every request, in order. */
  seen: SeenRequest[];
  /** Replace or add a route while the server runs (a page that changes). */
  route(path: string, handler: PageHandler): void;
  close(): Promise<void>;
}

/** The article-sized fixture page: the seed article in realistic page chrome. */
export const articlePage = () => readFile(join(pagesFixtureDir, 'transition-article.html'), 'utf8');

/**
 * A real HTTP server on 127.0.0.1 (a free port) serving fixture pages by path, recording each
 * request's headers: the fetch tests' stand-in for the web. Unknown paths answer 404.
 */
export async function startPageServer(routes: Record<string, PageHandler>): Promise<PageServer> {
  const table = new Map(Object.entries(routes));
  const seen: SeenRequest[] = [];
  const server = createServer((request, response) => {
    const record: SeenRequest = { path: request.url ?? '', headers: request.headers, abandoned: false };
    seen.push(record);
    response.on('close', () => {
      if (!response.writableFinished) record.abandoned = true;
    });
    const handler = table.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (!handler) {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
      return;
    }
    Promise.resolve(handler(request, response)).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    seen,
    route: (path, handler) => table.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * An HTML page with an ETag and a Last-Modified date, answering 304 to a request that names
 * that version (either validator), as a web server with caching does.
 */
export function versionedPage(html: () => Promise<string> | string, etag: string, lastModified: string): PageHandler {
  return async (request, response) => {
    const headers = { etag, 'last-modified': lastModified };
    if (request.headers['if-none-match'] === etag || request.headers['if-modified-since'] === lastModified) {
      response.writeHead(304, headers).end();
      return;
    }
    response.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(await html());
  };
}
