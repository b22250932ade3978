import { serveStatic } from '@hono/node-server/serve-static';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { appDeps, testConfig } from '../helpers/app-deps.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';

/**
 * What the server does for the widget: /widget.js loadable from other origins (CORP
 * cross-origin on it alone), GET /widget/access telling a page whether its origin may ask, and
 * CORS letting an allowed page read Retry-After.
 */

const fixture = useFixtureIndex();
const ALLOWED = 'https://allowed.example';

function app(origins: string[] = [ALLOWED], overrides: Parameters<typeof appDeps>[1] = {}) {
  // dist/web (with widget.js) is built before the suite (test/setup/build-web.ts).
  const config = testConfig({ ALLOWED_ORIGINS: origins });
  return createApp(appDeps(fixture.index, { config, assets: serveStatic({ root: 'dist/web' }), ...overrides }));
}

describe('GET /widget.js', () => {
  it('is JavaScript that other origins may load (CORP cross-origin), cached briefly, still nosniff', async () => {
    const res = await app().request('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('ask-the-guide-widget');
  });

  it('leaves every other response same-origin only', async () => {
    const source = '/source/product-side-projects';
    const paths = ['/', '/app.js', '/styles.css', '/health', '/widget.jsx', '/widget/access', source];
    for (const path of paths) {
      const res = await app().request(path);
      expect(res.headers.get('cross-origin-resource-policy'), path).toBe('same-origin');
    }
  });
});

describe('GET /widget/access', () => {
  const access = async (origin: string | undefined, origins?: string[]) => {
    const headers: Record<string, string> = origin ? { Origin: origin } : {};
    const res = await app(origins).request('http://assistant.example/widget/access', { headers });
    expect(res.status).toBe(200);
    return { body: (await res.json()) as { allowed: boolean }, res };
  };

  it('allows an origin in ALLOWED_ORIGINS, the assistant itself, and a request with no Origin', async () => {
    expect((await access(ALLOWED)).body).toEqual({ allowed: true });
    expect((await access('http://assistant.example')).body).toEqual({ allowed: true });
    expect((await access(undefined)).body).toEqual({ allowed: true });
  });

  it('refuses any other origin, and says so in a response that origin can read', async () => {
    const others = ['https://evil.example', 'https://allowed.example.evil.example', 'http://allowed.example', 'null'];
    for (const origin of others) {
      const { body, res } = await access(origin);
      expect(body, origin).toEqual({ allowed: false });
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('vary')?.toLowerCase()).toContain('origin');
    }
    // With no ALLOWED_ORIGINS at all, every other site is refused.
    expect((await access(ALLOWED, [])).body).toEqual({ allowed: false });
  });

  it('is described in /openapi.json', async () => {
    const spec = (await (await app().request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(spec.paths['/widget/access']).toBeDefined();
  });
});

describe('CORS for the widget', () => {
  it('lets an allowed page read Retry-After on a rate-limited answer', async () => {
    const limited = app([ALLOWED], { rateLimiter: { check: async () => ({ allowed: false, retryAfter: 7 }) } });
    const res = await limited.request('/ask', {
      method: 'POST',
      headers: { Origin: ALLOWED, 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ question: 'How do I start?' }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('retry-after');
    expect(res.headers.get('retry-after')).toBe('7');
  });
});
