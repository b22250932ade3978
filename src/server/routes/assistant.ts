import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { AppError } from '../../errors.ts';
import type { IndexSource } from '../app.ts';
import { ErrorSchema } from '../schemas.ts';

export const AssistantSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    starters: z.array(z.string()),
  })
  .openapi('Assistant');

const assistantRoute = createRoute({
  method: 'get',
  path: '/assistant.json',
  summary: 'The assistant the index being served presents: name, description and starter questions',
  responses: {
    200: { description: 'OK', content: { 'application/json': { schema: AssistantSchema } } },
    503: { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

/**
 * GET /assistant.json: what the chat page shows in its title, header and starters. The page
 * fetches it rather than having it written into the HTML, so the same static page (served
 * by the static-assets binding on Workers) fits any corpus, with no inline script. It
 * follows the generation being served (a hot swap can rename the assistant), hence no-cache.
 */
export function registerAssistantRoute<E extends Env>(app: OpenAPIHono<E>, index: IndexSource): void {
  app.openapi(assistantRoute, (c) => {
    const current = index.current();
    if (!current) throw new AppError('index_unavailable');
    c.header('Cache-Control', 'no-cache');
    const { name, description, starters } = current.assistant;
    return c.json({ name, description, starters }, 200);
  });
}
