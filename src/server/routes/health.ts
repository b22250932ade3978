import { createRoute } from '@hono/zod-openapi';
import type { App, AppDeps } from '../app.ts';
import { requireIndex } from '../index-source.ts';
import { errorResponses, HealthSchema } from '../schemas.ts';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Liveness and the index generation being served',
  responses: {
    200: { description: 'OK', content: { 'application/json': { schema: HealthSchema } } },
    ...errorResponses(503),
  },
});

/** GET /health: the server is up, and which index generation it serves. */
export function mountHealth(app: App, deps: Pick<AppDeps, 'index'>): void {
  app.openapi(healthRoute, (c) => {
    const { manifest, generation } = requireIndex(deps.index);
    const { id, model } = manifest.embedder;
    return c.json(
      {
        status: 'ok' as const,
        index: {
          documents: manifest.counts.documents,
          chunks: manifest.counts.chunks,
          embedder: model ? `${id}:${model}` : id,
          builtAt: manifest.createdAt,
          generation,
        },
      },
      200,
    );
  });
}
