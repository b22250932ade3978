import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { http, passthrough } from 'msw';

/** An msw handler that lets requests to our own loopback servers through untouched. */
export const loopbackPassthrough = () => http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough());

/** A real server on 127.0.0.1, for tests that need a socket. */
export interface Loopback {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serve a fetch handler (an app's `fetch`) with @hono/node-server on loopback, on a free port. */
export function serveOnLoopback(app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<Loopback> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive sockets would otherwise hold close() open until they time out.
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
  });
}
