import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { get } from './contract.ts';

/**
 * The widget on Workers: /widget.js comes from the static-assets binding through the Worker
 * (run_worker_first), so it gets the same headers as on Node, CORP cross-origin included.
 */

describe('GET /widget.js on Workers', () => {
  it('serves the widget script, loadable from other origins; other assets stay same-origin', async () => {
    const res = await get('/widget.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('ask-the-guide-widget');
    expect((await get('/app.js')).headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  it('tells a page on another origin that it is not allowed (wrangler.toml allows none)', async () => {
    const headers = { Origin: 'https://elsewhere.example' };
    const request = new Request('http://worker.test/widget/access', { headers });
    const res = await exports.default.fetch(request);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({ allowed: false });
  });
});
