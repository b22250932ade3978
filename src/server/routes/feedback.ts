import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../errors.ts';
import { StorageUnavailableError } from '../../storage/question-store.ts';
import type { AppDeps, AppEnv } from '../app.ts';
import { jsonRequestGuard } from '../json-request-guard.ts';
import { MAX_FEEDBACK_COMMENT_CHARS } from '../../http-contract.ts';
import { cleanText, ErrorSchema } from '../schemas.ts';

export const FeedbackRequestSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(100)
      .openapi({ description: 'The `id` of the answer being rated (from /ask, a /v1 completion or MCP ask_guide).' }),
    rating: z.enum(['up', 'down']),
    comment: z
      .string()
      .refine((s) => s.isWellFormed(), { message: 'comment contains an unpaired surrogate (invalid Unicode)' })
      .refine((s) => cleanText(s).length <= MAX_FEEDBACK_COMMENT_CHARS, {
        message: `comment must be at most ${MAX_FEEDBACK_COMMENT_CHARS} characters`,
      })
      .optional()
      .openapi({ description: 'Optional, what was wrong or missing.' }),
  })
  .strict()
  .openapi('FeedbackRequest');

export const FeedbackResponseSchema = z
  .object({ id: z.string(), rating: z.enum(['up', 'down']) })
  .openapi('FeedbackResponse');

const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [s, { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } }]),
  );

const feedbackRoute = createRoute({
  method: 'post',
  path: '/feedback',
  summary: 'Rate an answer (thumbs up or down), with an optional comment',
  description:
    'Rating the same answer again replaces its rating. 404 not_found when no answer with that id was recorded ' +
    '(also when RECORD_QUESTIONS=false); 503 storage_unavailable when the database fails.',
  request: { body: { required: true, content: { 'application/json': { schema: FeedbackRequestSchema } } } },
  responses: {
    200: { description: 'Saved', content: { 'application/json': { schema: FeedbackResponseSchema } } },
    ...errors(400, 404, 413, 415, 429, 503),
  },
});

/** POST /feedback: parse, check, save, respond. Rate limited and size limited as /ask is. */
export function registerFeedback(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.use(
    '/feedback',
    jsonRequestGuard({ rateLimiter: deps.rateLimiter, clientAddress: deps.clientAddress, bucket: 'feedback' }),
  );
  app.openapi(feedbackRoute, async (c) => {
    const { id, rating, comment } = c.req.valid('json');
    const text = comment === undefined ? '' : cleanText(comment);
    let saved: boolean;
    try {
      saved = (await deps.store?.saveFeedback({ answerId: id, rating, ...(text ? { comment: text } : {}) })) ?? false;
    } catch (error) {
      if (error instanceof StorageUnavailableError) throw new AppError('storage_unavailable');
      throw error;
    }
    if (!saved) throw new AppError('not_found', 'No answer with that id was recorded.');
    return c.json({ id, rating }, 200);
  });
}
