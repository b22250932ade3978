import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../../errors.ts';
import { embedsQuestionsRemotely } from '../../index/loaded-index.ts';
import type { AppDeps } from '../app.ts';
import { apiAccess } from '../api-access.ts';
import { apiKeys } from '../api-keys.ts';
import { limitBody } from '../limit-body.ts';
import { recordAnswer } from '../record-questions.ts';
import { NO_CANCELLATION, requestSignal } from '../request-signal.ts';
import { BODY_LIMIT_BYTES } from '../../http-contract.ts';

/**
 * The MCP server at /mcp, Streamable HTTP, stateless: every POST builds the server, answers
 * its JSON-RPC message(s) as JSON (no session, no SSE stream to resume), and is done. GET (a
 * stream for server-initiated messages) and DELETE (ending a session) have nothing to serve
 * without sessions: 405, which MCP clients expect from a stateless server.
 *
 * The door is the same as /v1's (rate limits, API_KEYS, JSON, body limit); its refusals are
 * HTTP statuses with a JSON-RPC error body, and a 401 carries WWW-Authenticate: Bearer, the
 * challenge MCP clients look for.
 */
/**
 * The MCP SDK (and its schema libraries) loads on the first /mcp request, not with the app:
 * a server that is never asked over MCP starts as fast as before, on Node and on Workers.
 */
type McpModules = [
  typeof import('../guide-mcp-server.ts'),
  typeof import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
];
let mcpModules: Promise<McpModules> | null = null;
const loadMcp = () =>
  (mcpModules ??= Promise.all([
    import('../guide-mcp-server.ts'),
    import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
  ]));

export function mcpRoutes(deps: AppDeps): Hono {
  const mcp = new Hono();
  mcp.use(
    '*',
    apiAccess({
      keys: apiKeys(deps.config.API_KEYS),
      rateLimiter: deps.rateLimiter,
      clientAddress: deps.clientAddress,
    }),
  );
  mcp.use('*', limitBody());

  mcp.post('/', async (c) => {
    const startedAt = performance.now();
    const [{ guideMcpServer }, { WebStandardStreamableHTTPServerTransport }] = await loadMcp();
    const index = deps.index.current();
    const usesModelServer = deps.answer.mode === 'llm' || (index !== null && embedsQuestionsRemotely(index));
    const server = guideMcpServer({
      index,
      answer: deps.answer,
      logger: deps.logger,
      origin: new URL(c.req.url).origin,
      cancellation: () =>
        usesModelServer ? requestSignal(c.req.raw.signal, deps.config.REQUEST_TIMEOUT_MS) : NO_CANCELLATION,
      recordAnswer: (question, answer) =>
        recordAnswer(deps.store, c, { question, answer, startedAt, generation: index?.generation ?? '' }),
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      maxRequestBodySize: BODY_LIMIT_BYTES,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  });

  mcp.on(['GET', 'DELETE'], '/', (c) => {
    c.header('Allow', 'POST');
    return c.json(jsonRpcError(-32000, 'Method not allowed: this MCP server is stateless; send POST requests.'), 405);
  });

  mcp.onError((error, c) => {
    const appError =
      error instanceof AppError
        ? error
        : error instanceof HTTPException && error.status === 413
          ? new AppError('payload_too_large')
          : new AppError('internal_error');
    if (!(error instanceof AppError) && appError.status >= 500) {
      deps.logger.error(
        { err: error instanceof Error ? `${error.name}: ${error.message}` : String(error), route: c.req.path },
        'unhandled error',
      );
    }
    for (const [name, value] of Object.entries(appError.headers)) c.header(name, value);
    return c.json(jsonRpcError(-32000, appError.message, appError.code), appError.status as 400);
  });
  return mcp;
}

/** A JSON-RPC error that answers no request in particular (`id: null`); `data.code` is our stable code. */
function jsonRpcError(code: number, message: string, ourCode?: string) {
  return {
    jsonrpc: '2.0' as const,
    error: { code, message, ...(ourCode ? { data: { code: ourCode } } : {}) },
    id: null,
  };
}
