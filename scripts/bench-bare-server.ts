/**
 * The reference endpoint for `npm run bench`: a bare Hono app on @hono/node-server with one
 * POST route whose JSON body is validated against a small zod schema (the same
 * @hono/zod-openapi route machinery /ask uses, without middleware, retrieval or logging).
 * Its throughput on this machine is the ceiling /ask is measured against.
 *
 * The bench runs it the way `npm start` runs the real server: bundled by esbuild (dependencies
 * external, into dist/bench/) and started as plain JS with `node --enable-source-maps`, so
 * neither side carries tsx's loader. By hand, either way:
 *
 *   HOST=127.0.0.1 PORT=4000 node --import tsx scripts/bench-bare-server.ts
 *   curl -s -H 'content-type: application/json' -d '{"question":"hi"}' http://127.0.0.1:4000/echo
 */
import { serve } from '@hono/node-server';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';

const EchoRequest = z
  .object({
    question: z.string().min(1).max(2000),
    k: z.number().int().min(1).max(10).optional(),
  })
  .strict();

const EchoResponse = z.object({ question: z.string(), length: z.number(), k: z.number() });

const echoRoute = createRoute({
  method: 'post',
  path: '/echo',
  request: { body: { required: true, content: { 'application/json': { schema: EchoRequest } } } },
  responses: { 200: { description: 'Echo', content: { 'application/json': { schema: EchoResponse } } } },
});

const app = new OpenAPIHono();
app.openapi(echoRoute, (c) => {
  const body = c.req.valid('json');
  return c.json({ question: body.question, length: body.question.length, k: body.k ?? 4 }, 200);
});

const port = Number(process.env.PORT ?? 4000);
const server = serve({ fetch: app.fetch, hostname: process.env.HOST ?? '127.0.0.1', port }, (info) => {
  console.log(`bare server listening on http://${info.address}:${info.port}/echo`);
});

const stop = () => {
  server.close(() => process.exit(0));
  (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
