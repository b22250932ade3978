import { describe, expect, it } from 'vitest';
import { AdminAuth, SESSION_SECONDS } from '../../src/server/admin/admin-auth.ts';
import { csvCell } from '../../src/server/admin/questions-csv.ts';
import { createApp } from '../../src/server/app.ts';
import type { Logger } from '../../src/logger.ts';
import type { Summary } from '../../src/storage/question-log.ts';
import { appDeps, testConfig } from '../helpers/app-deps.ts';
import { askRequest } from '../helpers/ask-request.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';
import { databaseUrl, fileStore } from '../helpers/question-store.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

/**
 * /admin: enabled by ADMIN_TOKEN only; sign-in form → signed session cookie; CSRF refused;
 * the JSON API by Bearer token or cookie; the dashboard escapes what readers typed.
 */

const fixture = useFixtureIndex();
const tempDir = useTempDirs('atg-admin-');

const TOKEN = 'correct-horse-battery-staple-42';
const HERE = 'http://guide.test';

type App = ReturnType<typeof createApp>;

async function adminApp(options: { token?: string; logger?: Logger } = { token: TOKEN }) {
  const { store, opened } = fileStore(databaseUrl(await tempDir()));
  const app = createApp(
    appDeps(fixture.index, {
      store,
      config: testConfig({ ADMIN_TOKEN: options.token }),
      ...(options.logger ? { logger: options.logger } : {}),
    }),
  );
  return { app, store, close: () => opened.forEach((db) => db.close()) };
}

const get = (app: App, path: string, headers: Record<string, string> = {}) =>
  app.request(`${HERE}${path}`, { headers });

function signIn(app: App, token: string, headers: Record<string, string> = { Origin: HERE }, base = HERE) {
  return app.request(`${base}/admin/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ token }).toString(),
  });
}

/** The session cookie (name=value) a sign-in response set. */
async function sessionCookie(app: App): Promise<string> {
  const res = await signIn(app, TOKEN);
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('without ADMIN_TOKEN', () => {
  it.each(['/admin', '/admin/api/summary', '/admin/api/questions.csv', '/admin/admin.css'])(
    'GET %s is 404',
    async (path) => {
      const { app, close } = await adminApp({});
      const res = await get(app, path, { Authorization: 'Bearer anything-at-all-really' });
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe('not_found');
      close();
    },
  );

  it('POST /admin/sign-in is 404', async () => {
    const { app, close } = await adminApp({});
    expect((await signIn(app, 'whatever-token-value')).status).toBe(404);
    close();
  });
});

describe('the JSON API', () => {
  it('401 unauthorized without a token or with a wrong one', async () => {
    const { app, close } = await adminApp();
    for (const headers of [
      {} as Record<string, string>,
      { Authorization: 'Bearer wrong-token-of-some-length' },
      { Authorization: `Bearer ${TOKEN}x` },
      { Authorization: TOKEN },
    ]) {
      const res = await get(app, '/admin/api/summary', headers);
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe('unauthorized');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect((await get(app, '/admin/api/questions.csv')).status).toBe(401);
    close();
  });

  it('summary: the recorded questions, outcomes, feedback, unanswered and top sections', async () => {
    const { app, close } = await adminApp();
    const ask = async (question: string) =>
      (await (await app.request('/ask', askRequest({ question }))).json()) as { id: string; support: string };
    const answered = await ask('How do I move from sales into product?');
    await ask('What is the boiling point of mercury?');
    await ask('what is the BOILING point of mercury');
    await app.request('/feedback', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: answered.id, rating: 'up' }),
    });

    const res = await get(app, '/admin/api/summary', { Authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const summary = (await res.json()) as Summary;
    expect(Object.keys(summary).sort()).toEqual(['feedback', 'outcomes', 'questions', 'topSections', 'unanswered']);
    expect(summary.questions).toBe(3);
    expect(summary.outcomes).toEqual({ answered: 1, related: 0, none: 2 });
    expect(summary.feedback).toEqual({ up: 1, down: 0 });
    expect(summary.unanswered).toEqual([
      {
        question: 'what is the BOILING point of mercury',
        count: 2,
        lastAsked: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
    expect(summary.topSections).toContainEqual({
      document: 'transition-product-management-background',
      section: 'Moving from Sales to Product Management',
      count: 1,
    });
    close();
  });

  it('questions.csv: a header row, one row per question, formula cells defused', async () => {
    const { app, close } = await adminApp();
    await app.request('/ask', askRequest({ question: '=HYPERLINK("http://evil.example","click"), then?' }));
    const res = await get(app, '/admin/api/questions.csv', { Authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'asked_at,question,outcome,mode,latency_ms,generation,cited_sections,rating,comment,answer_id',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""click""), then?"`);
    close();
  });

  it('csv cells: quoted when needed, and never start a formula', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(csvCell(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
  });
});

describe('sign-in', () => {
  it('shows the form (with its test ids) under the strict CSP', async () => {
    const { app, close } = await adminApp();
    const res = await get(app, '/admin');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-testid="admin-token"');
    expect(html).toContain('data-testid="admin-sign-in"');
    expect(html).not.toMatch(/<script|style=/i);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    close();
  });

  it('a wrong token: 401, an error on the form, and no cookie', async () => {
    const { app, close } = await adminApp();
    const res = await signIn(app, 'not-the-right-token-at-all');
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('data-testid="admin-error"');
    close();
  });

  it('the right token: an HttpOnly, SameSite=Strict session cookie that is not the token, then the dashboard', async () => {
    const { app, close } = await adminApp();
    const res = await signIn(app, TOKEN);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/admin/);
    expect(cookie).not.toMatch(/Secure/);
    expect(decodeURIComponent(cookie)).not.toContain(TOKEN);

    const session = cookie.split(';')[0]!;
    const dashboard = await get(app, '/admin', { Cookie: session });
    expect(dashboard.status).toBe(200);
    const html = await dashboard.text();
    expect(html).toContain('data-testid="questions-chart"');
    expect(html).toContain('data-testid="unanswered"');
    expect((await get(app, '/admin/api/summary', { Cookie: session })).status).toBe(200);
    close();
  });

  it('a browser that sends Origin: null with same-origin fetch metadata is let in', async () => {
    const { app, close } = await adminApp();
    expect((await signIn(app, TOKEN, { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303);
    expect((await signIn(app, TOKEN, { 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303);
    close();
  });

  it('the cookie is Secure over https', async () => {
    const { app, close } = await adminApp();
    const res = await signIn(app, TOKEN, { Origin: 'https://guide.test' }, 'https://guide.test');
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
    close();
  });

  it.each([
    ['another site', { Origin: 'https://evil.example' }],
    ['a look-alike host', { Origin: 'http://guide.test.evil.example' }],
    ['an opaque origin', { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' }],
    ['no Origin and no fetch metadata', {}],
    ['no Origin, cross-site fetch metadata', { 'Sec-Fetch-Site': 'cross-site' }],
    ['this Origin but cross-site fetch metadata', { Origin: HERE, 'Sec-Fetch-Site': 'same-site' }],
    ['an opaque origin with no fetch metadata', { Origin: 'null' }],
  ])('CSRF: a POST from %s is refused (403), the right token notwithstanding', async (_name, headers) => {
    const { app, close } = await adminApp();
    const res = await signIn(app, TOKEN, headers);
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('forbidden');
    expect(res.headers.get('set-cookie')).toBeNull();
    close();
  });

  it('a tampered or foreign cookie opens nothing', async () => {
    const { app, close } = await adminApp();
    const session = await sessionCookie(app);
    const [name, value] = session.split('=') as [string, string];
    const tampered = `${name}=${value.replace(/^\d+/, (n) => String(Number(n) + 3600))}`;
    expect((await get(app, '/admin/api/summary', { Cookie: tampered })).status).toBe(401);
    expect(await (await get(app, '/admin', { Cookie: tampered })).text()).toContain('data-testid="admin-sign-in"');
    // Signed under another token (a rotated ADMIN_TOKEN): void.
    const other = await new AdminAuth('some-other-admin-token-0').newSession();
    expect((await get(app, '/admin/api/summary', { Cookie: `${name}=${other}` })).status).toBe(401);
    close();
  });

  it('sign-out clears the cookie (and is CSRF-checked too)', async () => {
    const { app, close } = await adminApp();
    const session = await sessionCookie(app);
    const refused = await app.request(`${HERE}/admin/sign-out`, {
      method: 'POST',
      headers: { Cookie: session, Origin: 'https://evil.example' },
    });
    expect(refused.status).toBe(403);
    const out = await app.request(`${HERE}/admin/sign-out`, {
      method: 'POST',
      headers: { Cookie: session, Origin: HERE },
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/atg_admin=;.*Max-Age=0/);
    close();
  });

  it('never logs the token, whatever is tried', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      debug: (f, m) => void lines.push(JSON.stringify([f, m])),
      info: (f, m) => void lines.push(JSON.stringify([f, m])),
      warn: (f, m) => void lines.push(JSON.stringify([f, m])),
      error: (f, m) => void lines.push(JSON.stringify([f, m])),
    };
    const { app, close } = await adminApp({ token: TOKEN, logger });
    await signIn(app, TOKEN);
    await signIn(app, `${TOKEN}-wrong`);
    await get(app, '/admin/api/summary', { Authorization: `Bearer ${TOKEN}` });
    await get(app, '/admin/api/summary', { Authorization: `Bearer ${TOKEN}-wrong` });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(TOKEN);
    close();
  });
});

describe('the dashboard', () => {
  it('escapes everything readers typed and has no inline script or style', async () => {
    const { app, close } = await adminApp();
    const question = '<script>alert(1)</script><img src=x onerror=alert(2)> what "is" it?';
    const answer = (await (await app.request('/ask', askRequest({ question }))).json()) as { id: string };
    await app.request('/feedback', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: answer.id,
        rating: 'down',
        comment: '</blockquote><style>body{display:none}</style>',
      }),
    });
    const html = await (await get(app, '/admin', { Cookie: await sessionCookie(app) })).text();
    expect(html).not.toMatch(/<script|<img|<style|style=/i);
    expect(html).toContain('&#60;img src=x onerror=alert(2)&#62;');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toContain('&#60;/blockquote&#62;&#60;style&#62;');
    close();
  });
});

describe('AdminAuth', () => {
  it('matches the token only, whatever the length of a wrong one', async () => {
    const auth = new AdminAuth(TOKEN);
    expect(await auth.tokenMatches(TOKEN)).toBe(true);
    for (const wrong of ['', TOKEN.slice(0, -1), `${TOKEN} `, TOKEN.toUpperCase(), 'x'.repeat(10_000)])
      expect(await auth.tokenMatches(wrong)).toBe(false);
  });

  it('sessions expire after SESSION_SECONDS', async () => {
    let now = 1_700_000_000_000;
    const auth = new AdminAuth(TOKEN, () => now);
    const session = await auth.newSession();
    expect(await auth.sessionValid(session)).toBe(true);
    now += (SESSION_SECONDS - 1) * 1000;
    expect(await auth.sessionValid(session)).toBe(true);
    now += 2000;
    expect(await auth.sessionValid(session)).toBe(false);
  });
});
