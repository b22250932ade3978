import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../errors.ts';
import type { App, AppDeps } from '../app.ts';
import { requireIndex } from '../index-source.ts';
import { renderSourcePage, SOURCE_CSS } from '../render-source.ts';
import { errorResponses } from '../schemas.ts';

const sourceRoute = createRoute({
  method: 'get',
  path: '/source/{document}',
  summary: 'A corpus document rendered as HTML; each section heading has id = its anchor',
  request: { params: z.object({ document: z.string().min(1).max(200) }) },
  responses: {
    200: { description: 'HTML page', content: { 'text/html': { schema: z.string() } } },
    ...errorResponses(404, 503),
  },
});

/** GET /source/:document, the page a citation links to, and its stylesheet. */
export function mountSource(app: App, deps: Pick<AppDeps, 'index'>): void {
  app.openapi(sourceRoute, (c) => {
    const doc = requireIndex(deps.index).documents.get(c.req.valid('param').document);
    if (!doc) throw new AppError('not_found', 'No such document in the corpus.');
    return c.html(renderSourcePage(doc), 200);
  });

  app.get('/source.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(SOURCE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
}
