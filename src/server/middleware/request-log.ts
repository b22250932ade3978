import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../app.ts';

/**
 * The access log: one record per request with its id, method, route, status and latency;
 * /ask adds the answer mode and its outcome (support, grounded), the error code of a stream
 * that failed after it started, and the question only when LOG_QUESTIONS is on. Never a key.
 * Health checks are polled every few seconds by load balancers, so they log at debug.
 */
export function requestLog(deps: Pick<AppDeps, 'logger' | 'answer' | 'config'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = crypto.randomUUID();
    c.header('X-Request-Id', requestId);
    await next();
    const write = () => {
      const question = c.get('question');
      const streamError = c.get('streamError');
      const isAsk = c.req.path === '/ask';
      const record = {
        requestId,
        method: c.req.method,
        route: c.req.routePath === '/*' ? c.req.path : c.req.routePath,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ...(isAsk ? { mode: deps.answer.mode, support: c.get('support'), grounded: c.get('grounded') } : {}),
        ...(streamError ? { error: streamError } : {}),
        ...(deps.config.LOG_QUESTIONS && question ? { question } : {}),
      };
      if (c.req.path === '/health') deps.logger.debug(record);
      else deps.logger.info(record);
    };
    // An SSE answer is still running when the handler returns: log it when it ends, with
    // its outcome and its full latency.
    const streamEnded = c.get('streamEnded');
    if (streamEnded) void streamEnded.then(write);
    else write();
  };
}
