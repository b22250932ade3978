import { serveStatic } from '@hono/node-server/serve-static';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';
import { appDeps, testConfig, type App } from './support.ts';

/**
 * Secure headers on every page we serve (a strict CSP with no inline script, nosniff, no
 * framing), and CORS closed unless ALLOWED_ORIGINS names an origin, then open to exactly it.
 */

const fixture = useFixtureIndex();

const app = (origins: string[] = []): App =>
  createApp(
    appDeps(fixture.index, {
      config: testConfig({ ALLOWED_ORIGINS: origins }),
      // dist/web is built before the suite (test/setup/build-web.ts).
      assets: serveStatic({ root: 'dist/web' }),
    }),
  );

/** A CSP header as directive name -> sources. */
function parseCsp(header: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

function expectStrictPage(res: Response): void {
  const csp = parseCsp(res.headers.get('content-security-policy'));
  const scripts = csp.get('script-src') ?? csp.get('default-src');
  expect(scripts, 'no script-src or default-src').toBeDefined();
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(scripts).not.toContain("'unsafe-eval'");
  expect(scripts).not.toContain('*');
  expect(csp.get('default-src')).toEqual(["'self'"]);
  expect(csp.get('object-src')).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  expect(csp.get('base-uri')).toEqual(["'none'"]);
  expect(csp.get('img-src')?.every((s) => s === "'self'" || s === 'data:')).toBe(true);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toMatch(/^(DENY|SAMEORIGIN)$/);
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
}

describe('secure headers', () => {
  it('the chat UI (/) has a strict CSP, and its HTML needs nothing the CSP forbids', async () => {
    const res = await app().request('/');
    expect(res.status).toBe(200);
    expectStrictPage(res);
    const html = await res.text();
    // Every script is a same-origin file; no inline script, handler, style block or style attribute.
    for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) expect(tag).toMatch(/\ssrc="\/[^/]/);
    expect(html).not.toMatch(/<script\b[^>]*>\s*[^<\s]/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
  });

  it('/source pages have the same strict CSP, and need nothing it forbids', async () => {
    const res = await app().request('/source/product-side-projects');
    expect(res.status).toBe(200);
    expectStrictPage(res);
    const html = await res.text();
    // The fixture's <script> and onerror= are shown as text, never as markup.
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/<style\b|\sstyle\s*=/i);
    expect(html).toContain('<link rel="stylesheet" href="/source.css">');
  });

  it('JSON responses, errors included, carry nosniff', async () => {
    for (const res of [
      await app().request('/health'),
      await app().request('/nope'),
      await app().request('/ask', { method: 'POST', body: 'x' }),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('CORS', () => {
  const preflight = (a: App, origin: string) =>
    a.request('/ask', {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
  const askFrom = (a: App, origin: string) =>
    a.request('/ask', {
      method: 'POST',
      headers: { Origin: origin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ question: 'What side project should I build?' }),
    });

  it('closed by default: no Access-Control-Allow-Origin for any origin, on preflight or response', async () => {
    const a = app();
    for (const origin of ['https://evil.example', 'null', 'http://localhost:3000']) {
      const pre = await preflight(a, origin);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect(pre.headers.get('access-control-allow-methods')).toBeNull();
      const res = await askFrom(a, origin);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('ALLOWED_ORIGINS=https://good.example opens to exactly that origin, still not to evil', async () => {
    const a = app(['https://good.example']);
    const pre = await preflight(a, 'https://good.example');
    expect(pre.status).toBeLessThan(300);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://good.example');
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    expect(pre.headers.get('vary')?.toLowerCase()).toContain('origin');
    const res = await askFrom(a, 'https://good.example');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://good.example');

    for (const origin of ['https://evil.example', 'https://good.example.evil.example', 'http://good.example', 'null']) {
      const evilPre = await preflight(a, origin);
      expect(evilPre.headers.get('access-control-allow-origin'), origin).toBeNull();
      const evil = await askFrom(a, origin);
      expect(evil.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
    // Never a wildcard, never credentials.
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
