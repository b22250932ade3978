/**
 * The text fragments citations carry (src/rag/text-fragment.ts), opened in a real Chromium
 * against a loopback copy of an article: the browser must find the quoted passage and scroll
 * to it. The signal is the scroll position: the passage sits far below the first screen, so
 * the page moves only if the browser matched the fragment (a fragment that matches nothing
 * leaves it at the top).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTextFragment } from '../../src/rag/text-fragment.ts';
import { launchBrowser } from './helpers/browser.ts';

const LONG_QUOTE =
  'Sales & marketing people – in a “customer-first” team, you’ll learn fast, and that counts for more than titles, pre-launch or post-launch.';
const SHORT_QUOTE = 'Q&A: self-serve, low-touch – and “fast”.';
const LIST_QUOTE = 'Teacher: crowd control, planning & patience.\n\nJournalist: research, interviews – and deadlines.';

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Article</title>
<style>body{margin:0;font:16px/1.5 sans-serif} .spacer{height:3000px}</style></head><body>
<header><nav>Home · Blog · Sign up free</nav></header>
<article>
<h1>Moving into product</h1>
<p>An opening paragraph that is on the first screen.</p>
<div class="spacer"></div>
<p id="long">Sales &amp; marketing people – in a “customer-first” team, you’ll learn fast, and that counts for more than titles, <em>pre-launch</em> or post-launch.</p>
<div class="spacer"></div>
<p id="short">Q&amp;A: self-serve, low-touch – and “fast”.</p>
<div class="spacer"></div>
<ul id="list"><li><strong>Teacher:</strong> crowd control, planning &amp; patience.</li><li><strong>Journalist:</strong> research, interviews – and deadlines.</li></ul>
<div class="spacer"></div>
</article></body></html>`;

let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === '/article' ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(req.url === '/article' ? PAGE : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/article`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** Open `url` in a fresh page and report whether the element `id` ended up on screen, and how far the page scrolled. */
async function openAt(url: string, id: string): Promise<{ scrollY: number; onScreen: boolean; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  await page.goto(url);
  // The browser scrolls to a text fragment after load; give it a moment.
  await page.waitForTimeout(300);
  const result = await page.evaluate((target) => {
    const box = document.getElementById(target)!.getBoundingClientRect();
    return { scrollY: window.scrollY, onScreen: box.top >= 0 && box.bottom <= window.innerHeight };
  }, id);
  return { ...result, page };
}

describe('citation text fragments in Chromium', () => {
  it.each([
    ['a long quote (start,end) with an ampersand, dashes, curly quotes and commas', LONG_QUOTE, 'long'],
    ['a short quote matched whole', SHORT_QUOTE, 'short'],
    ['a quote over two list items (start in the first, end in the last)', LIST_QUOTE, 'list'],
  ])('scrolls the original page to %s', async (_name, quote, id) => {
    const url = withTextFragment(base, quote);
    expect(url).toContain('#:~:text=');
    const { scrollY, onScreen, page } = await openAt(url, id);
    expect(scrollY, url).toBeGreaterThan(1000);
    expect(onScreen, url).toBe(true);
    await page.context().close();
  });

  it('leaves the page at the top when the fragment matches nothing (the control)', async () => {
    const { scrollY, page } = await openAt(
      withTextFragment(base, 'Words that are nowhere on this page at all, not one of them here.'),
      'long',
    );
    expect(scrollY).toBe(0);
    await page.context().close();
  });
});
