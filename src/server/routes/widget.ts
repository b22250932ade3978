import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Env, MiddlewareHandler } from 'hono';
import type { Config } from '../../config.ts';

/** The embeddable widget's script, built into dist/web by web/build.ts and served as a static file. */
export const WIDGET_SCRIPT_PATH = '/widget.js';
/** Tells the widget whether the page it is on may use this assistant (see docs/widget.md). */
export const WIDGET_ACCESS_PATH = '/widget/access';
/** Short, because the script's URL has no version in it: a deploy reaches every site within minutes. */
const SCRIPT_MAX_AGE_SECONDS = 300;

/**
 * Headers for /widget.js, which other sites load with a `<script>` tag: secureHeaders'
 * `Cross-Origin-Resource-Policy: same-origin` (right for everything else we serve) would make
 * the browser refuse it there. Mount this before secureHeaders: middleware finishes in
 * reverse order, so this one has the last word on the response.
 */
export const widgetScriptHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
  if (c.res.status === 200) c.res.headers.set('Cache-Control', `public, max-age=${SCRIPT_MAX_AGE_SECONDS}`);
};

const WidgetAccessSchema = z
  .object({
    allowed: z.boolean().openapi({ description: 'Whether a page on the Origin of this request may use the widget' }),
  })
  .openapi('WidgetAccess');

const accessRoute = createRoute({
  method: 'get',
  path: WIDGET_ACCESS_PATH,
  summary: 'Whether the calling page may use the widget (its Origin is this server or in ALLOWED_ORIGINS)',
  responses: { 200: { description: 'OK', content: { 'application/json': { schema: WidgetAccessSchema } } } },
});

/**
 * GET /widget/access. CORS alone would refuse a page that is not allowed, but a refused request
 * looks exactly like a network failure to the page's script, so the widget could only say "no
 * connection". This route answers every origin (it reveals nothing a CORS preflight does not)
 * so that the widget can say plainly that the site is not allowed. /ask stays behind CORS.
 */
export function registerWidgetRoutes<E extends Env>(
  app: OpenAPIHono<E>,
  config: Pick<Config, 'ALLOWED_ORIGINS'>,
): void {
  app.openapi(accessRoute, (c) => {
    const origin = c.req.header('origin');
    // No Origin: a same-origin GET (browsers send none) or not a browser at all.
    const allowed = !origin || sameHost(origin, c.req.url) || config.ALLOWED_ORIGINS.includes(origin);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'no-store');
    c.header('Vary', 'Origin', { append: true });
    return c.json({ allowed }, 200);
  });
}

/** Compared by host only: behind a TLS-terminating proxy the server may see http for an https page. */
function sameHost(origin: string, requestUrl: string): boolean {
  try {
    return new URL(origin).host === new URL(requestUrl).host;
  } catch {
    return false;
  }
}
