import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { AnswerDeps } from '../rag/answer-question.ts';
import type { Support } from '../rag/types.ts';
import { handleError, handleNotFound, rejectInvalidRequest } from './error-handler.ts';
import type { IndexSource } from './index-source.ts';
import { askGuards } from './middleware/ask-guards.ts';
import { requestLog } from './middleware/request-log.ts';
import { allowedOrigins, securityHeaders } from './middleware/security-headers.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { mountAsk } from './routes/ask.ts';
import { mountHealth } from './routes/health.ts';
import { mcpRoutes } from './routes/mcp.ts';
import { openAiCompatibleRoutes } from './routes/openai-compatible.ts';
import { mountOpenApi } from './routes/openapi.ts';
import { mountSource } from './routes/source.ts';
import { registerWidgetRoutes, WIDGET_SCRIPT_PATH, widgetScriptHeaders } from './routes/widget.ts';
import { registerAssistantRoute } from './routes/assistant.ts';
import type { QuestionStore } from '../storage/question-store.ts';
import { registerAdmin } from './routes/admin.ts';
import { registerFeedback } from './routes/feedback.ts';

export type { IndexSource };

export interface AppDeps {
  config: Pick<Config, 'REQUEST_TIMEOUT_MS' | 'ALLOWED_ORIGINS' | 'LOG_QUESTIONS' | 'API_KEYS' | 'ADMIN_TOKEN'>;
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

/** Per-request values the access log reads after the handler has run. */
export type AppEnv = {
  Variables: {
    question?: string;
    grounded?: boolean;
    support?: Support;
    /** Set for an SSE answer: settles when the stream ends, which is when it is logged. */
    streamEnded?: Promise<void>;
    /** The error code an SSE answer ended with after it started. */
    streamError?: string;
  };
};

export type App = OpenAPIHono<AppEnv>;

/**
 * Build the Hono app from injected dependencies. No platform code lives here: node.ts and
 * worker.ts build the dependencies for their runtime and hand over `app.fetch`.
 *
 * Middleware first, in the order a request meets it, then one line per route module; a new
 * route module (src/server/routes/<name>.ts exporting `mount<Name>(app, deps)`) is one more
 * line among them. The UI's static files come after the routes, so no file can shadow one.
 */
export function createApp(deps: AppDeps): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: rejectInvalidRequest });

  app.use('*', requestLog(deps));
  // Before the security headers, so that /widget.js alone may be loaded by other sites.
  app.use(WIDGET_SCRIPT_PATH, widgetScriptHeaders);
  app.use('*', securityHeaders());
  if (deps.config.ALLOWED_ORIGINS.length) app.use('*', allowedOrigins(deps.config.ALLOWED_ORIGINS));
  app.use('/ask', ...askGuards(deps));

  mountAsk(app, deps);
  mountSource(app, deps);
  mountHealth(app, deps);
  registerWidgetRoutes(app, deps.config);
  app.route('/v1', openAiCompatibleRoutes(deps));
  app.route('/mcp', mcpRoutes(deps));
  registerAssistantRoute(app, deps.index);
  registerFeedback(app, deps);
  registerAdmin(app, deps);
  mountOpenApi(app);

  if (deps.assets) app.use('*', deps.assets);
  app.notFound(handleNotFound);
  app.onError(handleError(deps.logger));
  return app;
}
