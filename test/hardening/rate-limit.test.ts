import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { MemoryRateLimiter } from '../../src/server/rate-limiter.ts';
import { askRequest } from '../helpers/ask-request.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';
import { appDeps, errorShapeProblems, serveOnLoopback, type App } from './support.ts';

/**
 * RATE_LIMIT_PER_MINUTE per client address on /ask: the next request gets 429 rate_limited
 * with a whole-seconds Retry-After; /health and static files never count; 0 turns it off.
 */

const fixture = useFixtureIndex();

/** The built UI, as node.ts serves it (dist/web is built before the suite: test/setup/build-web.ts). */
const assets: MiddlewareHandler = serveStatic({ root: 'dist/web' });

const ask = (app: App, body: unknown = { question: 'What side project should I build?' }) =>
  app.request('/ask', askRequest(body));

function limitedApp(perMinute: number, now: () => number = Date.now, client = () => '203.0.113.7') {
  return createApp(
    appDeps(fixture.index, { rateLimiter: new MemoryRateLimiter(perMinute, now), clientAddress: client, assets }),
  );
}

describe('RATE_LIMIT_PER_MINUTE=3', () => {
  it('the 4th /ask in a minute is 429 rate_limited with an integer Retry-After; the window frees up', async () => {
    let now = 1_000_000;
    const app = limitedApp(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect((await ask(app)).status).toBe(200);
      now += 5_000;
    }
    const limited = await ask(app);
    expect(limited.status).toBe(429);
    expect(errorShapeProblems(429, await limited.text())).toEqual([]);
    const retryAfter = limited.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    // The first of the three was 15 s ago: it leaves the window in 45 s.
    expect(Number(retryAfter)).toBe(45);

    now += 44_000;
    expect((await ask(app)).status).toBe(429);
    now += 1_000;
    expect((await ask(app)).status).toBe(200);
  });

  it('rejected and malformed requests count too, so probing does not get around the limit', async () => {
    const app = limitedApp(3);
    expect(
      (await app.request('/ask', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' })).status,
    ).toBe(415);
    expect((await ask(app, { nope: 1 })).status).toBe(400);
    expect((await ask(app)).status).toBe(200);
    expect((await ask(app)).status).toBe(429);
  });

  it('/health, /source, /openapi.json and static files are exempt', async () => {
    const app = limitedApp(3);
    for (let i = 0; i < 3; i++) expect((await ask(app)).status).toBe(200);
    expect((await ask(app)).status).toBe(429);
    for (let i = 0; i < 10; i++) {
      expect((await app.request('/health')).status).toBe(200);
      expect((await app.request('/')).status).toBe(200);
      expect((await app.request('/source/product-side-projects')).status).toBe(200);
      expect((await app.request('/source.css')).status).toBe(200);
      expect((await app.request('/openapi.json')).status).toBe(200);
    }
  });

  it('counts per client address: another client is not affected', async () => {
    let client = '203.0.113.7';
    const app = limitedApp(3, Date.now, () => client);
    for (let i = 0; i < 3; i++) expect((await ask(app)).status).toBe(200);
    expect((await ask(app)).status).toBe(429);
    client = '198.51.100.20';
    expect((await ask(app)).status).toBe(200);
  });

  it('on a real socket the limit follows the connection address; X-Forwarded-For does not reset it', async () => {
    const app = createApp(
      appDeps(fixture.index, {
        rateLimiter: new MemoryRateLimiter(3),
        clientAddress: (c) => getConnInfo(c).remote.address ?? 'unknown',
      }),
    );
    const server = await serveOnLoopback(app);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${server.url}/ask`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `198.51.100.${i}` },
          body: JSON.stringify({ question: 'What side project should I build?' }),
        });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await server.close();
    }
  });
});

describe('RATE_LIMIT_PER_MINUTE=0', () => {
  it('turns rate limiting off', async () => {
    const app = limitedApp(0);
    for (let i = 0; i < 25; i++) expect((await ask(app)).status).toBe(200);
  });
});
