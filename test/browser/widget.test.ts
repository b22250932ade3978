/**
 * The embeddable widget in a real browser, on other sites: the assistant (the real Node server,
 * real corpus) on one loopback origin, host pages on two others. One is in ALLOWED_ORIGINS and
 * carries hostile CSS and a script that restyles everything it can find; the other is not
 * allowed. Screenshots (light and dark) land in .artifacts/screenshots.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, ElementHandle, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, watchProblems, type PageProblems } from './helpers/browser.ts';
import { startServer, type RunningServer } from './helpers/server.ts';

const QUESTION = 'How do I move from sales into product management?';
const SECOND_STARTER = 'What skills from project management carry over to product?';
const VIEWPORT = { width: 1280, height: 800 };
/** The panel's own text size and colours (widget.css), which the host page must not change. */
const PANEL_FONT_SIZE = '14px';
const LIGHT_TEXT = 'rgb(27, 31, 36)';
const DARK_TEXT = 'rgb(230, 233, 237)';
const RED = 'rgb(255, 0, 0)';

interface HostSite {
  /** The page's origin, as the browser sees it. */
  origin: string;
  close(): Promise<void>;
}

let assistant: RunningServer;
let browser: Browser;
let allowedSite: HostSite;
let foreignSite: HostSite;
const problems: PageProblems = { errors: [], allow: [] };

/**
 * A host page that embeds the widget, with everything a careless (or hostile) site does:
 * `* { ... !important }` on every element, and a script that sets inline !important styles on
 * every element it can reach, again whenever the page changes, and looks for the widget's parts.
 */
function hostPage(assistantUrl: string, settings: URLSearchParams): string {
  const attributes = [...settings]
    .map(([name, value]) => ` data-${name.replace(/[^a-z]/g, '')}="${value.replace(/[^\w -]/g, '')}"`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Someone else's site</title><link rel="icon" href="data:,">
<style>
  * { font-size: 40px !important; color: red !important; font-family: serif !important; line-height: 3 !important; }
  body { margin: 24px; background: #fdfcf7; }
</style></head>
<body>
<h1>A page on another site</h1>
<p id="copy">Some text of the host page.</p>
<a href="#top">A link before the widget</a>
<script>
  window.__hostile = { found: 0, shadowRoots: 0 };
  function restyle() {
    for (const el of document.querySelectorAll('*')) {
      el.style.setProperty('font-size', '40px', 'important');
      el.style.setProperty('color', 'red', 'important');
      if (el.shadowRoot) window.__hostile.shadowRoots++;
    }
    window.__hostile.found += document.querySelectorAll('[data-testid], .panel, .launcher').length;
  }
  restyle();
  new MutationObserver(restyle).observe(document.documentElement, { childList: true, subtree: true });
</script>
<script src="${assistantUrl}/widget.js" data-title="Career Guide"
  data-starters="${QUESTION}|${SECOND_STARTER}"${attributes} async></script>
</body></html>`;
}

/**
 * A strict Content Security Policy for a host page: scripts and requests only to the assistant
 * (any loopback port here), styles only from the page's own origin: no 'unsafe-inline' styles.
 */
const STRICT_HOST_CSP =
  "default-src 'self'; script-src 'unsafe-inline' http://127.0.0.1:*; " +
  "connect-src http://127.0.0.1:*; style-src 'self'; img-src data:";

/**
 * Serve the host page at / on 127.0.0.1 (the browser reaches it as `http://<hostName>:<port>`);
 * query parameters become the script tag's data- attributes, except `csp=strict`, which sends
 * STRICT_HOST_CSP.
 */
function serveHostPage(html: (settings: URLSearchParams) => string, hostName: string): Promise<HostSite> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname !== '/') return void res.writeHead(404).end();
    const headers: Record<string, string> = { 'Content-Type': 'text/html; charset=utf-8' };
    if (url.searchParams.get('csp') === 'strict') headers['Content-Security-Policy'] = STRICT_HOST_CSP;
    url.searchParams.delete('csp');
    res.writeHead(200, headers).end(html(url.searchParams));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://${hostName}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

beforeAll(async () => {
  // localhost and 127.0.0.1 are different origins to the browser, though the same socket.
  let assistantUrl = '';
  const page = (settings: URLSearchParams) => hostPage(assistantUrl, settings);
  [allowedSite, foreignSite] = await Promise.all([serveHostPage(page, 'localhost'), serveHostPage(page, '127.0.0.1')]);
  [assistant, browser] = await Promise.all([startServer({ ALLOWED_ORIGINS: allowedSite.origin }), launchBrowser()]);
  assistantUrl = assistant.url;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([assistant?.stop(), allowedSite?.close(), foreignSite?.close()]);
});

afterEach(() => {
  problems.allow.length = 0;
});

declare global {
  interface Window {
    /** The widget's closed shadow root, kept by the test's init script (see openHostPage). */
    __widgetRoot?: ShadowRoot;
    __hostile?: { found: number; shadowRoots: number };
  }
}

/**
 * Open a host page. The widget's shadow root is closed, so neither the page nor Playwright's
 * locators can see into it: an init script (the test's, run before the page's) keeps a
 * reference to it when it is attached, and the test reaches the panel through that.
 */
interface HostPageOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** data- attributes for the script tag. */
  settings?: Record<string, string>;
}

async function openHostPage(site: HostSite, options: HostPageOptions = {}): Promise<Page> {
  const { colorScheme = 'light', viewport = VIEWPORT, settings = {} } = options;
  const context = await browser.newContext({ viewport, colorScheme, reducedMotion: 'reduce' });
  watchProblems(context, problems);
  await context.addInitScript(() => {
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit) {
      const root = attach.call(this, init);
      if (this.localName === 'ask-the-guide-widget') window.__widgetRoot = root;
      return root;
    };
  });
  const page = await context.newPage();
  await page.goto(`${site.origin}/?${new URLSearchParams(settings)}`);
  const launcherShown = () =>
    page.evaluate(() => !!window.__widgetRoot?.querySelector('[data-testid="widget-launcher"]'));
  await expect.poll(launcherShown).toBe(true);
  return page;
}

/** An element inside the widget, by CSS selector (throws if it is not there). */
async function part(page: Page, selector: string): Promise<ElementHandle<HTMLElement>> {
  const handle = await page.evaluateHandle((sel) => window.__widgetRoot!.querySelector<HTMLElement>(sel), selector);
  const element = handle.asElement();
  if (!element) throw new Error(`no ${selector} in the widget`);
  return element as ElementHandle<HTMLElement>;
}

const byTestId = (page: Page, id: string) => part(page, `[data-testid="${id}"]`);
const count = (page: Page, selector: string) =>
  page.evaluate((sel) => window.__widgetRoot!.querySelectorAll(sel).length, selector);
/** Text content of the first element matching `selector` inside the widget. */
const text = (page: Page, selector: string) =>
  page.evaluate((sel) => window.__widgetRoot!.querySelector(sel)?.textContent ?? null, selector);
const hidden = (page: Page, selector: string) =>
  page.evaluate((sel) => window.__widgetRoot!.querySelector<HTMLElement>(sel)!.hidden, selector);
const panelOpen = async (page: Page) => !(await hidden(page, '.panel'));
/**
 * The element focused inside the widget (the page sees only the host element): its
 * data-testid, or its aria-label.
 */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = window.__widgetRoot!.activeElement as HTMLElement | null;
    return active?.dataset.testid ?? active?.getAttribute('aria-label') ?? null;
  });

async function answerState(page: Page): Promise<string> {
  const state = () =>
    page.evaluate(() => {
      const answers = window.__widgetRoot!.querySelectorAll('[data-testid="answer"]');
      return answers[answers.length - 1]?.getAttribute('data-state') ?? 'none';
    });
  await expect.poll(state, { timeout: 15_000 }).not.toMatch(/^(none|thinking|streaming)$/);
  return page.evaluate(() => {
    const answers = window.__widgetRoot!.querySelectorAll('[data-testid="answer"]');
    const last = answers[answers.length - 1]!;
    const state = last.getAttribute('data-state') ?? '';
    return state === 'error' ? `error: ${last.querySelector('[data-testid="error"]')?.textContent}` : state;
  });
}

async function computed(page: Page, selector: string): Promise<{ fontSize: string; color: string }> {
  return page.evaluate((sel) => {
    const style = getComputedStyle(window.__widgetRoot!.querySelector(sel)!);
    return { fontSize: style.fontSize, color: style.color };
  }, selector);
}

describe('the widget on an allowed site with hostile CSS and scripts', () => {
  it('answers with citations at its own sizes and colours, linking sources in a new tab', async () => {
    const page = await openHostPage(allowedSite);
    // The host page's rules are in force on its own content (the test would prove nothing otherwise).
    expect(await page.evaluate(() => getComputedStyle(document.getElementById('copy')!).fontSize)).toBe('40px');

    const launcher = await byTestId(page, 'widget-launcher');
    const box = (await launcher.boundingBox())!;
    expect(box.x + box.width).toBeGreaterThan(VIEWPORT.width - 40);
    expect(box.y + box.height).toBeGreaterThan(VIEWPORT.height - 40);
    expect(box.width).toBe(56);

    await launcher.click();
    expect(await panelOpen(page)).toBe(true);
    expect(await focused(page)).toBe('question-input');
    expect(await text(page, '.panel-title')).toBe('Career Guide');
    expect(await count(page, '[data-testid="starter"]')).toBe(2);
    await screenshot(page, 'widget-open');

    const input = await byTestId(page, 'question-input');
    await input.fill(QUESTION);
    await (await byTestId(page, 'send')).click();
    expect(await answerState(page)).toBe('answered');
    expect(await count(page, '[data-testid="citation"]')).toBeGreaterThanOrEqual(1);
    expect(await text(page, '.answer-text')).not.toMatch(/\[\d+\]/);

    // Sources open the assistant's /source page, absolute on its origin, in a new tab.
    const links = await page.evaluate(() =>
      [...window.__widgetRoot!.querySelectorAll<HTMLAnchorElement>('[data-testid="citation"], .source')].map((a) => ({
        href: a.href,
        target: a.target,
        rel: a.rel,
      })),
    );
    expect(links.length).toBeGreaterThanOrEqual(2);
    for (const link of links) {
      expect(link.href.startsWith(`${assistant.url}/source/`)).toBe(true);
      expect(link.target).toBe('_blank');
      expect(link.rel.split(' ').sort()).toEqual(['noopener', 'noreferrer']);
    }
    const source = await fetch(links[0]!.href);
    expect(source.status).toBe(200);
    expect(await source.text()).toContain(`id="${new URL(links[0]!.href).hash.slice(1)}"`);

    // The panel keeps its own sizes and colours; the hostile script found nothing to restyle.
    for (const selector of ['.answer-text', '.bubble', '.panel-title', 'textarea', '.source-section']) {
      const style = await computed(page, selector);
      expect(style.color, selector).not.toBe(RED);
      expect(style.fontSize, selector).not.toBe('40px');
    }
    expect(await computed(page, '.answer-text')).toEqual({ fontSize: PANEL_FONT_SIZE, color: LIGHT_TEXT });
    expect(await computed(page, 'textarea')).toEqual({ fontSize: PANEL_FONT_SIZE, color: LIGHT_TEXT });
    expect(await page.evaluate(() => window.__hostile)).toEqual({ found: 0, shadowRoots: 0 });
    // It did try: the host element carries its inline !important styles, to no effect.
    const host = await page.evaluate(() => {
      const element = document.querySelector<HTMLElement>('ask-the-guide-widget')!;
      return { fontSize: element.style.getPropertyValue('font-size'), shadowRoot: element.shadowRoot };
    });
    expect(host).toEqual({ fontSize: '40px', shadowRoot: null });

    await screenshot(page, 'widget-light');
    expect(problems.errors).toEqual([]);
    await page.context().close();
  });

  it('follows dark mode, and data-theme is not needed for it', async () => {
    const page = await openHostPage(allowedSite, { colorScheme: 'dark' });
    await (await byTestId(page, 'widget-launcher')).click();
    await (await byTestId(page, 'starter')).click();
    expect(await answerState(page)).toBe('answered');
    expect(await computed(page, '.answer-text')).toEqual({ fontSize: PANEL_FONT_SIZE, color: DARK_TEXT });
    await screenshot(page, 'widget-dark');
    expect(problems.errors).toEqual([]);
    await page.context().close();
  });

  it('takes data-theme and data-position from its script tag', async () => {
    const page = await openHostPage(allowedSite, { settings: { theme: 'dark', position: 'bottom-left' } });
    const launcher = await byTestId(page, 'widget-launcher');
    expect((await launcher.boundingBox())!.x).toBeLessThan(40);
    await launcher.click();
    expect(await computed(page, '.panel-title')).toEqual({ fontSize: '15px', color: DARK_TEXT });
    expect((await (await part(page, '.panel')).boundingBox())!.x).toBeLessThan(40);
    await page.context().close();
  });

  it('keeps its styles on a page whose CSP forbids inline styles (it adopts a constructed style sheet)', async () => {
    problems.allow.push(/Content Security Policy/);
    const page = await openHostPage(allowedSite, { settings: { csp: 'strict' } });
    // The CSP is in force: the page's own inline <style> was refused.
    const pageBackground = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await pageBackground()).not.toBe('rgb(253, 252, 247)');
    await (await byTestId(page, 'widget-launcher')).click();
    expect(await computed(page, '.panel-title')).toEqual({ fontSize: '15px', color: LIGHT_TEXT });
    expect((await (await part(page, '.panel')).boundingBox())!.width).toBe(400);
    await (await byTestId(page, 'starter')).click();
    expect(await answerState(page)).toBe('answered');
    await page.context().close();
  });

  it('takes the whole screen on a phone, and fits it', async () => {
    const page = await openHostPage(allowedSite, { viewport: { width: 375, height: 740 } });
    await (await byTestId(page, 'widget-launcher')).click();
    await (await byTestId(page, 'starter')).click();
    expect(await answerState(page)).toBe('answered');
    const panel = (await (await part(page, '.panel')).boundingBox())!;
    expect(panel).toMatchObject({ x: 0, y: 0, width: 375, height: 740 });
    // Nothing inside is wider than the panel.
    const overflow = await page.evaluate(() => {
      const scroller = window.__widgetRoot!.querySelector('.scroller')!;
      return scroller.scrollWidth - scroller.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'widget-phone');
    // Its own close button takes the launcher's place.
    await (await part(page, '.panel-header button[aria-label="Close"]')).click();
    expect(await panelOpen(page)).toBe(false);
    expect(await focused(page)).toBe('widget-launcher');
    await page.context().close();
  });

  it('is keyboard accessible: Enter opens it, focus in the question box; Escape closes it, focus back', async () => {
    const page = await openHostPage(allowedSite);
    await (await byTestId(page, 'widget-launcher')).focus();
    await page.keyboard.press('Enter');
    expect(await panelOpen(page)).toBe(true);
    expect(await focused(page)).toBe('question-input');
    expect(await (await byTestId(page, 'widget-launcher')).getAttribute('aria-expanded')).toBe('true');

    // Type and send with the keyboard only.
    await page.keyboard.type(QUESTION);
    await page.keyboard.press('Enter');
    expect(await answerState(page)).toBe('answered');
    // Focus visits the answer's sources before it reaches the question box again.
    await (await byTestId(page, 'widget-launcher')).focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('New chat');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Close');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('citation');

    await page.keyboard.press('Escape');
    expect(await panelOpen(page)).toBe(false);
    expect(await focused(page)).toBe('widget-launcher');
    expect(await page.evaluate(() => document.activeElement?.localName)).toBe('ask-the-guide-widget');
    await page.context().close();
  });

  it('shows a failed answer with Retry, and Retry asks again', async () => {
    const page = await openHostPage(allowedSite);
    await page.route(`${assistant.url}/ask`, (route) =>
      route.fulfill({
        status: 503,
        headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': allowedSite.origin },
        body: JSON.stringify({ error: { code: 'index_unavailable', message: 'The index is not available yet.' } }),
      }),
    );
    problems.allow.push(/503/);
    await (await byTestId(page, 'widget-launcher')).click();
    await (await byTestId(page, 'question-input')).fill(QUESTION);
    await page.keyboard.press('Enter');
    expect(await answerState(page)).toMatch(/^error: .*index is not available/);
    await page.unroute(`${assistant.url}/ask`);
    await (await byTestId(page, 'retry')).click();
    expect(await answerState(page)).toBe('answered');
    await page.context().close();
  });
});

describe('the widget on a site that is not allowed', () => {
  it('says the site is not allowed, offers no question box, and gets no answer', async () => {
    const page = await openHostPage(foreignSite);
    await (await byTestId(page, 'widget-launcher')).click();
    await expect.poll(() => count(page, '[data-testid="error"][data-kind="not_allowed"]:not([hidden])')).toBe(1);
    expect(await text(page, '[data-testid="error"]')).toMatch(/isn't allowed to use this assistant/);
    expect(await hidden(page, '.composer-bar')).toBe(true);
    expect(await count(page, '[data-testid="answer"]')).toBe(0);
    // Nor can the page ask /ask itself: CORS refuses its origin.
    problems.allow.push(/CORS|Failed to load resource/);
    const direct = await page.evaluate(async (url) => {
      const body = JSON.stringify({ question: 'What is product management?' });
      const request = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body };
      return fetch(`${url}/ask`, request).then(
        () => 'answered',
        () => 'refused',
      );
    }, assistant.url);
    expect(direct).toBe('refused');
    await screenshot(page, 'widget-not-allowed');
    await page.keyboard.press('Escape');
    expect(await focused(page)).toBe('widget-launcher');
    await page.context().close();
  });
});
