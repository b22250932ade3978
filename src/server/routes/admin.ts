import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../../errors.ts';
import type { Database } from '../../storage/database.ts';
import { readAllQuestions, readQuestionsPerDay, readSummary, readThumbsDown } from '../../storage/question-log.ts';
import { StorageUnavailableError } from '../../storage/question-store.ts';
import { AdminAuth, SESSION_COOKIE, SESSION_SECONDS } from '../admin/admin-auth.ts';
import { ADMIN_CSS } from '../admin/admin-css.ts';
import { dashboardPage, signInPage, unavailablePage } from '../admin/admin-pages.ts';
import { questionsCsv } from '../admin/questions-csv.ts';
import type { AppDeps, AppEnv } from '../app.ts';

/** Days of questions the dashboard's chart shows. */
const CHART_DAYS = 30;

/**
 * The owner's dashboard and its JSON API, registered only when ADMIN_TOKEN is set (so that
 * without it every /admin path is the app's 404). Pages: a sign-in form that exchanges the
 * token for a session cookie, and the dashboard. API: Bearer token or the session cookie.
 */
export function registerAdmin(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  const token = deps.config.ADMIN_TOKEN;
  if (!token) return;
  const auth = new AdminAuth(token);

  const signedIn = async (c: Context) => auth.sessionValid(getCookie(c, SESSION_COOKIE));
  const read = async <T>(query: (db: Database) => Promise<T>): Promise<T> => {
    if (!deps.store) throw new StorageUnavailableError('no database is configured');
    return deps.store.read(query);
  };

  const adminHeaders: MiddlewareHandler = async (c, next) => {
    await next();
    // Owner data: never kept by a browser or a proxy.
    if (!c.req.path.endsWith('.css')) c.header('Cache-Control', 'no-store');
    // The site sends no referrer at all, which makes Chromium send `Origin: null` with the
    // form's POST; same-origin keeps referrers in-site and lets the CSRF check see our origin.
    c.header('Referrer-Policy', 'same-origin');
  };
  app.use('/admin', adminHeaders);
  app.use('/admin/*', adminHeaders);

  app.get('/admin/admin.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(ADMIN_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });

  app.get('/admin', async (c) => {
    if (!(await signedIn(c))) return c.html(signInPage(), 200);
    try {
      const now = Date.now();
      const [summary, perDay, thumbsDown] = await Promise.all([
        read((db) => readSummary(db)),
        read((db) => readQuestionsPerDay(db, CHART_DAYS, now)),
        read((db) => readThumbsDown(db)),
      ]);
      return c.html(dashboardPage({ summary, perDay, thumbsDown, retentionDays: deps.store?.retentionDays ?? 0 }), 200);
    } catch (error) {
      if (error instanceof StorageUnavailableError) return c.html(unavailablePage(), 503);
      throw error;
    }
  });

  const limitForm = bodyLimit({
    maxSize: 4096,
    onError: () => {
      throw new AppError('payload_too_large');
    },
  });

  app.post('/admin/sign-in', sameOrigin, limitForm, async (c) => {
    // Guessing the token by trying is bounded like /ask is.
    const limit = await deps.rateLimiter.check(`admin-sign-in:${deps.clientAddress(c)}`);
    if (!limit.allowed) throw new AppError('rate_limited', undefined, { 'Retry-After': String(limit.retryAfter) });
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const candidate = typeof form.token === 'string' ? form.token : '';
    if (!candidate || !(await auth.tokenMatches(candidate))) {
      return c.html(signInPage('That token is not right. Check ADMIN_TOKEN on the server and try again.'), 401);
    }
    setCookie(c, SESSION_COOKIE, await auth.newSession(), {
      httpOnly: true,
      sameSite: 'Strict',
      secure: isHttps(c),
      path: '/admin',
      maxAge: SESSION_SECONDS,
    });
    return c.redirect('/admin', 303);
  });

  app.post('/admin/sign-out', sameOrigin, (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/admin', secure: isHttps(c) });
    return c.redirect('/admin', 303);
  });

  app.use('/admin/api/*', async (c, next) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
    const allowed = bearer ? await auth.tokenMatches(bearer) : await signedIn(c);
    if (!allowed) throw new AppError('unauthorized', undefined, { 'WWW-Authenticate': 'Bearer realm="admin"' });
    try {
      await next();
    } catch (error) {
      if (error instanceof StorageUnavailableError)
        throw new AppError('storage_unavailable', 'The question database cannot be read right now.');
      throw error;
    }
  });

  app.get('/admin/api/summary', async (c) => c.json(await read((db) => readSummary(db)), 200));

  app.get('/admin/api/questions.csv', async (c) => {
    const csv = questionsCsv(await read(readAllQuestions));
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="questions.csv"',
    });
  });
}

/**
 * CSRF: a state-changing POST must come from a page of this site. Browsers send Fetch
 * Metadata (Sec-Fetch-Site) and Origin with every POST: the first must say same-origin when
 * present, the second must name this host (the Host header, which a reverse proxy passes on)
 * when it is a real origin. A request with neither is refused.
 */
const sameOrigin: MiddlewareHandler = async (c, next) => {
  const origin = c.req.header('origin');
  const site = c.req.header('sec-fetch-site');
  const host = c.req.header('host') ?? new URL(c.req.url).host;
  const originOk = origin !== undefined && origin !== 'null' && hostOf(origin) === host;
  const fromHere =
    site !== undefined ? site === 'same-origin' && (originOk || origin === undefined || origin === 'null') : originOk;
  if (!fromHere) throw new AppError('forbidden', 'Cross-site request refused.');
  return next();
};

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** Whether the browser reached us over https (directly, or through a proxy that says so). */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}
