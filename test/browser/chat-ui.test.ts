/**
 * The chat UI in a real browser (Debian's Chromium through playwright-core) against the real
 * Node server on loopback with an index built from the real corpus. Screenshots land in
 * .artifacts/screenshots for people to look at.
 */
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Citation } from '../../src/rag/types.ts';
import { launchBrowser, SCREENSHOT_DIR, screenshot, watchProblems, type PageProblems } from './helpers/browser.ts';
import { captureChatScreenshot } from './helpers/chat-screenshot.ts';
import { startServer, type RunningServer } from './helpers/server.ts';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 740 };
const QUESTION = 'How do I move from sales into product management?';
const OFF_TOPIC = 'how do I cook risotto?';
const DOCUMENT = 'transition-product-management-background';
/** corpus/assistant.yaml, as the page must present it. */
const ASSISTANT = {
  name: 'Product Career Guide',
  description: 'Thinking about a move into product management?',
  starters: [
    'How do I move from sales into product management?',
    'What skills from project management carry over to product?',
    'Do I need a technical background to become a PM?',
    'How can a designer become a product manager?',
    'How do I get product experience before my first PM job?',
  ],
};

let server: RunningServer;
let browser: Browser;
const problems: PageProblems = { errors: [], allow: [] };

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

// Console errors a test allowed (a stubbed 429, say) are allowed in that test only.
afterEach(() => {
  problems.allow.length = 0;
});

interface OpenOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** Install Playwright's fake clock (time still flows; tests can jump ahead). */
  clock?: boolean;
}

async function openPage({ viewport = DESKTOP, colorScheme = 'light', clock = false }: OpenOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport, colorScheme, reducedMotion: 'reduce' });
  watchProblems(context, problems);
  if (clock) await context.clock.install();
  const page = await context.newPage();
  await page.goto(server.url);
  await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('js'))).toBe(true);
  return page;
}

async function closePage(page: Page): Promise<void> {
  await page.context().close();
}

/** Type a question and press Enter; resolves when the answer turn has settled. */
async function ask(page: Page, question: string): Promise<void> {
  await page.getByTestId('question-input').fill(question);
  await page.getByTestId('question-input').press('Enter');
}

const lastAnswer = (page: Page) => page.getByTestId('answer').last();

/** Wait until the last answer turn stops thinking/streaming; returns its state. */
async function settledState(page: Page): Promise<string> {
  const answer = lastAnswer(page);
  await expect.poll(() => answer.getAttribute('data-state'), { timeout: 10_000 }).not.toMatch(/^(thinking|streaming)$/);
  const state = (await answer.getAttribute('data-state')) ?? '';
  // An unexpected error state says why, instead of only "expected 'error' to be 'answered'".
  if (state === 'error') return `error: ${await answer.getByTestId('error').innerText()}`;
  return state;
}

/** Record the answer turns' state changes and text updates, to tell streaming from one-shot. */
async function watchStreaming(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen = { states: [] as string[], textChanges: 0 };
    (window as unknown as { __streaming: typeof seen }).__streaming = seen;
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes') seen.states.push(record.oldValue ?? '');
        else if (
          (record.target instanceof Element ? record.target : record.target.parentElement)?.closest('.answer-text')
        )
          seen.textChanges++;
      }
    }).observe(document.getElementById('conversation')!, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-state'],
      attributeOldValue: true,
    });
  });
}

/** Answer the page's /ask requests with `response` instead of the server (until unrouted). */
async function stubAsk(page: Page, response: Parameters<Route['fulfill']>[0]): Promise<void> {
  await page.route('**/ask', (route) => route.fulfill(response));
}

/** A 200 response carrying these Server-Sent Events, for stubAsk. */
function sseResponse(events: Array<[string, unknown]>): Parameters<Route['fulfill']>[0] {
  return {
    status: 200,
    headers: { 'Content-Type': 'text/event-stream' },
    body: events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join(''),
  };
}

/** A citation of the guide's sales section, for stubbed answers; `overrides` change it. */
function salesCitation(overrides: Partial<Citation>): Citation {
  return {
    id: 1,
    document: DOCUMENT,
    section: 'Moving from Sales to Product Management',
    anchor: 'moving-from-sales-to-product-management',
    url: `/source/${DOCUMENT}#moving-from-sales-to-product-management`,
    sourceUrl: 'https://productschool.com/blog/product-management-2/transition-product-management-background',
    quote:
      'Sales and Product Management are closely aligned, as both focus on understanding and meeting customer needs.',
    score: 0.8,
    ...overrides,
  };
}

describe('the chat UI', () => {
  it('shows the configured assistant: its name as the title and header, its description and its starters', async () => {
    const page = await openPage();
    await expect.poll(() => page.getByTestId('starter').allInnerTexts()).toEqual(ASSISTANT.starters);
    expect(await page.title()).toBe(ASSISTANT.name);
    expect(await page.locator('header h1').innerText()).toBe(ASSISTANT.name);
    expect(await page.locator('#empty-title').innerText()).toBe(ASSISTANT.description);
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toBe(ASSISTANT.description);
    expect(await page.locator('#empty-starters-label').isVisible()).toBe(true);
    // A starter asks its question.
    const requestPromise = page.waitForRequest((r) => r.url().endsWith('/ask'));
    await page.getByTestId('starter').nth(3).click();
    expect(((await requestPromise).postDataJSON() as { question: string }).question).toBe(ASSISTANT.starters[3]);
    await closePage(page);
  });

  it('offers no "Read the original article" link for a document without a source_url', async () => {
    const page = await openPage();
    const citation = salesCitation({ sourceUrl: `/source/${DOCUMENT}#moving-from-sales-to-product-management` });
    await stubAsk(
      page,
      sseResponse([
        ['citations', [citation]],
        ['delta', { text: 'Answer [1].' }],
        [
          'done',
          {
            answer: 'Answer [1].',
            grounded: true,
            support: 'answered',
            id: 'x',
            mode: 'extractive',
            citations: [citation],
          },
        ],
      ]),
    );
    await ask(page, QUESTION);
    expect(await settledState(page)).toBe('answered');
    await lastAnswer(page).getByTestId('citation').first().click();
    const panel = page.getByTestId('source-panel');
    await panel.getByTestId('highlight').waitFor({ state: 'visible' });
    expect(await panel.getByRole('link', { name: /read the original article/i }).count()).toBe(0);
    expect(await page.locator('#source-panel-link').isHidden()).toBe(true);
    await closePage(page);
  });

  it('streams an answer with citations and a numbered source list, and sends earlier turns as history', async () => {
    const page = await openPage();
    await expect.poll(() => page.getByTestId('starter').count()).toBe(ASSISTANT.starters.length);
    await watchStreaming(page);

    const responsePromise = page.waitForResponse((r) => r.url().endsWith('/ask'));
    await ask(page, QUESTION);
    const response = await responsePromise;
    expect(response.headers()['content-type']).toContain('text/event-stream');

    expect(await settledState(page)).toBe('answered');
    const answer = lastAnswer(page);
    await expect.poll(() => answer.getByTestId('citation').count()).toBeGreaterThanOrEqual(1);
    const sources = answer.getByTestId('source-list');
    expect(await sources.isVisible()).toBe(true);
    expect(await sources.locator('li').count()).toBeGreaterThanOrEqual(1);
    // The chips are the answer's [n] markers: no bracketed numbers are left as text.
    expect(await answer.locator('.answer-text').innerText()).not.toMatch(/\[\d+\]/);
    expect(await page.getByTestId('question-input').inputValue()).toBe('');
    // It streamed: the turn was 'streaming' (words shown before `done`) and the text grew in steps.
    const seen = await page.evaluate(
      () => (window as unknown as { __streaming: { states: string[]; textChanges: number } }).__streaming,
    );
    expect(seen.states).toContain('streaming');
    expect(seen.textChanges).toBeGreaterThan(2);

    // Copy puts the answer and its sources on the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await answer.getByTestId('copy').click();
    await expect.poll(() => answer.getByTestId('copy').innerText()).toBe('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('Sources:\n[1] ');
    expect(copied).toContain((await answer.locator('.answer-text').innerText()).slice(0, 30));

    // A follow-up carries the finished exchange as history (user, then assistant text).
    const requestPromise = page.waitForRequest((r) => r.url().endsWith('/ask'));
    await ask(page, 'What about moving from marketing?');
    const sent = (await requestPromise).postDataJSON() as { history?: Array<{ role: string; content: string }> };
    expect(sent.history?.map((t) => t.role)).toEqual(['user', 'assistant']);
    expect(sent.history?.[0]?.content).toBe(QUESTION);
    expect(sent.history?.[1]?.content).not.toMatch(/\[\d+\]/);
    expect(await settledState(page)).toBe('answered');
    expect(await page.getByTestId('answer').count()).toBe(2);

    // New chat clears the conversation and brings the starters back.
    await page.getByTestId('new-chat').click();
    expect(await page.getByTestId('answer').count()).toBe(0);
    expect(await page.getByTestId('starter').count()).toBe(ASSISTANT.starters.length);
    await closePage(page);
  });

  it('opens the cited section in a side panel with the quote highlighted and a link to the original', async () => {
    const page = await openPage();
    await ask(page, QUESTION);
    expect(await settledState(page)).toBe('answered');
    const chip = lastAnswer(page).getByTestId('citation').first();
    const label = (await chip.getAttribute('aria-label')) ?? '';
    await chip.click();

    const panel = page.getByTestId('source-panel');
    await panel.waitFor({ state: 'visible' });
    const highlight = panel.getByTestId('highlight');
    await highlight.waitFor({ state: 'visible' });
    expect((await highlight.innerText()).length).toBeGreaterThan(20);
    expect(await panel.locator('.panel-note').count()).toBe(0); // the whole quote was found
    expect(label).toContain((await panel.locator('#source-panel-title').innerText()).trim());
    // The highlight is scrolled into the panel's view.
    const [box, body] = await Promise.all([highlight.boundingBox(), panel.locator('.panel-body').boundingBox()]);
    expect(box && body && box.y >= body.y - 1 && box.y < body.y + body.height).toBe(true);
    const link = panel.getByRole('link', { name: /read the original article/i });
    // Into the original page, at the quoted passage (a text fragment).
    expect(await link.getAttribute('href')).toMatch(/^https:\/\/productschool\.com\/[^#]+#:~:text=[^,]+,./);
    expect(await link.getAttribute('rel')).toContain('noopener');
    // The side panel leaves the chat usable beside it on a wide screen.
    expect(await page.evaluate(() => document.querySelector('dialog')!.matches(':modal'))).toBe(false);

    // A source from the list opens the panel too; the source page is fetched only once.
    let sourceFetches = 0;
    page.on('request', (r) => void (r.url().includes('/source/') && sourceFetches++));
    await lastAnswer(page).getByTestId('source-list').locator('button').last().click();
    await expect.poll(() => panel.locator('#source-panel-kicker').innerText()).toMatch(/source \d+/i);
    await highlight.waitFor({ state: 'visible' });
    expect(sourceFetches).toBe(0);

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    await closePage(page);
  });

  it('shows a not-covered answer without citations, with starter questions that the guide answers', async () => {
    const page = await openPage();
    await ask(page, OFF_TOPIC);
    expect(await settledState(page)).toBe('not-covered');
    const answer = lastAnswer(page);
    expect(await answer.getByTestId('citation').count()).toBe(0);
    expect(await answer.getByTestId('source-list').count()).toBe(0);
    expect(await answer.innerText()).toMatch(/not covered/i);
    const starters = answer.getByTestId('starter');
    expect(await starters.allInnerTexts()).toEqual(ASSISTANT.starters);

    // Every starter is a question the guide really answers, and every quote it cites is
    // found word for word in its section of the source page.
    for (let i = 0; i < ASSISTANT.starters.length; i++) {
      await page.getByTestId('new-chat').click();
      await page.getByTestId('starter').nth(i).click();
      expect(await settledState(page)).toBe('answered');
      expect(await lastAnswer(page).getByTestId('citation').count()).toBeGreaterThan(0);
      const sources = lastAnswer(page).getByTestId('source-list').locator('button');
      for (let j = 0; j < (await sources.count()); j++) {
        await sources.nth(j).click();
        await page.getByTestId('highlight').waitFor({ state: 'visible' });
        const section = await page.locator('#source-panel-title').innerText();
        expect(
          await page.locator('.panel-note').count(),
          `quote ${j + 1} of starter ${i + 1} (${section}) not found as a whole`,
        ).toBe(0);
        await page.keyboard.press('Escape');
        await page.getByTestId('source-panel').waitFor({ state: 'hidden' });
      }
    }
    await closePage(page);
  }, 60_000);

  it('shows a rate-limit error with the wait and a retry, keeps the question, and retries once allowed', async () => {
    problems.allow.push(/status of 429/);
    const page = await openPage({ clock: true });
    await stubAsk(page, {
      status: 429,
      headers: { 'Retry-After': '7', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        error: { code: 'rate_limited', message: 'Too many requests; wait a moment and try again.' },
      }),
    });
    await ask(page, QUESTION);
    const error = lastAnswer(page).getByTestId('error');
    await error.waitFor({ state: 'visible' });
    expect(await error.innerText()).toMatch(/7 seconds/);
    const retry = lastAnswer(page).getByTestId('retry');
    expect(await retry.isDisabled()).toBe(true);
    expect(await retry.innerText()).toMatch(/retry in \d+s/i);
    // Nothing typed is lost: the question is back in the box, ready to send again.
    expect(await page.getByTestId('question-input').inputValue()).toBe(QUESTION);
    await screenshot(page, 'desktop-light-rate-limited');

    await page.unroute('**/ask');
    await page.clock.fastForward(8000);
    await expect.poll(() => retry.isEnabled()).toBe(true);
    await retry.click();
    expect(await settledState(page)).toBe('answered');
    expect(await lastAnswer(page).getByTestId('error').count()).toBe(0);
    expect(await page.getByTestId('question-input').inputValue()).toBe('');
    await closePage(page);
  });

  it('shows server and network failures inline with a retry', async () => {
    problems.allow.push(/status of 503/, /net::ERR_FAILED/, /Failed to fetch/);
    const page = await openPage();
    await stubAsk(page, {
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'index_unavailable', message: 'The search index is not available yet.' } }),
    });
    await ask(page, QUESTION);
    const error = lastAnswer(page).getByTestId('error');
    await error.waitFor({ state: 'visible' });
    expect(await error.innerText()).toContain('The search index is not available yet.');
    expect(await error.getAttribute('data-kind')).toBe('server');

    await page.unroute('**/ask');
    await page.route('**/ask', (route) => route.abort('failed'));
    await lastAnswer(page).getByTestId('retry').click();
    await expect.poll(() => error.getAttribute('data-kind')).toBe('network');

    // A failure after the answer started keeps the words so far, with the error under them.
    await page.unroute('**/ask');
    await stubAsk(
      page,
      sseResponse([
        ['citations', []],
        ['delta', { text: 'The first words' }],
        [
          'error',
          { error: { code: 'upstream_error', message: 'The model server failed to answer. Try again shortly.' } },
        ],
      ]),
    );
    await lastAnswer(page).getByTestId('retry').click();
    await expect.poll(() => error.innerText()).toContain('The model server failed to answer.');
    expect(await lastAnswer(page).locator('.answer-text').innerText()).toBe('The first words');

    await page.unroute('**/ask');
    await lastAnswer(page).getByTestId('retry').click();
    expect(await settledState(page)).toBe('answered');
    await closePage(page);
  });

  it('re-renders from `done` when the model markers are renumbered (llm mode)', async () => {
    const candidate = (id: number, section: string) => salesCitation({ id, section });
    const candidates = [
      candidate(1, 'First candidate'),
      candidate(2, 'Second candidate'),
      candidate(3, 'Moving from Sales to Product Management'),
    ];
    const final = { ...candidates[2]!, id: 1 };
    const page = await openPage();
    await stubAsk(
      page,
      sseResponse([
        ['citations', candidates],
        ['delta', { text: 'Sales and product are closely aligned [' }],
        ['delta', { text: '3]. Unknown marker [9].' }],
        [
          'done',
          { answer: 'Sales and product are closely aligned [1].', grounded: true, mode: 'llm', citations: [final] },
        ],
      ]),
    );
    await ask(page, QUESTION);
    expect(await settledState(page)).toBe('answered');
    const turn = lastAnswer(page);
    expect(await turn.locator('.answer-text').innerText()).not.toContain('Unknown marker');
    expect(await turn.getByTestId('citation').count()).toBe(1);
    expect(await turn.getByTestId('citation').getAttribute('aria-label')).toBe(
      'Source 1: Moving from Sales to Product Management',
    );
    expect(await turn.getByTestId('source-list').locator('li').count()).toBe(1);
    await turn.getByTestId('citation').click();
    await page.getByTestId('highlight').waitFor({ state: 'visible' });
    await closePage(page);
  });

  it('stops a streaming answer and gives the question back', async () => {
    const page = await openPage();
    let held: Route | undefined;
    await page.route('**/ask', (route) => void (held = route));
    await ask(page, QUESTION);
    await expect.poll(() => page.getByTestId('send').getAttribute('data-state')).toBe('stop');
    expect(await lastAnswer(page).locator('.typing').isVisible()).toBe(true);
    await page.getByTestId('send').click();
    expect(await settledState(page)).toBe('stopped');
    expect(await page.getByTestId('send').getAttribute('data-state')).toBe('send');
    expect(await page.getByTestId('question-input').inputValue()).toBe(QUESTION);
    await held?.abort().catch(() => {});
    await closePage(page);
  });

  it('works with the keyboard alone: Tab to the box, Enter to ask, Tab to a chip, Enter opens, Escape closes', async () => {
    const page = await openPage();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const focused = () =>
      page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? '');

    for (let i = 0; i < 15 && (await focused()) !== 'question-input'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('question-input');

    // Shift+Enter adds a line and sends nothing.
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    expect(await page.getByTestId('question-input').inputValue()).toBe('first line\nsecond line');
    expect(await page.getByTestId('answer').count()).toBe(0);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Backspace');

    await page.keyboard.type(QUESTION);
    await page.keyboard.press('Enter');
    expect(await settledState(page)).toBe('answered');

    for (let i = 0; i < 40 && (await focused()) !== 'citation'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('citation');
    const chipId = await page.evaluate(() => document.activeElement?.getAttribute('data-citation'));
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('source-panel');
    await panel.waitFor({ state: 'visible' });
    await panel.getByTestId('highlight').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="source-panel"]'))).toBe(true);

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    expect(await focused()).toBe('citation');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-citation'))).toBe(chipId);
    await closePage(page);
  });

  it('renders markup from the server as text, never as HTML', async () => {
    const payload = '<img src=x onerror="window.__xss=1">';
    const citation = salesCitation({
      section: `Moving from Sales ${payload}`,
      sourceUrl: 'javascript:window.__xss=2',
      quote: `Quoted ${payload} text`,
      score: 0.9,
    });
    const answer = `Here is ${payload} an answer [1].`;
    const page = await openPage();
    await stubAsk(
      page,
      sseResponse([
        ['citations', [citation]],
        ['delta', { text: `Here is ${payload}` }],
        ['delta', { text: ' an answer [1].' }],
        ['done', { answer, grounded: true, mode: 'llm', citations: [citation] }],
      ]),
    );
    await ask(page, QUESTION);
    expect(await settledState(page)).toBe('answered');
    const turn = lastAnswer(page);
    expect(await turn.locator('.answer-text').innerText()).toContain(payload);
    expect(await turn.getByTestId('source-list').innerText()).toContain(payload);
    expect(await page.locator('img').count()).toBe(0);

    await turn.getByTestId('citation').click();
    const panel = page.getByTestId('source-panel');
    await panel.waitFor({ state: 'visible' });
    await expect.poll(() => panel.locator('.panel-quote').count()).toBe(1);
    expect(await panel.locator('.panel-quote').innerText()).toContain(payload);
    expect(await page.locator('img').count()).toBe(0);
    // A javascript: URL from the server is never linked.
    expect(await panel.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await closePage(page);
  });

  it('looks right at 1280 and 375 px, light and dark (screenshots), without sideways scrolling', async () => {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await openPage({ viewport, colorScheme });
        const prefix = `${name}-${colorScheme}`;
        await screenshot(page, `${prefix}-empty`);
        await page.getByTestId('starter').first().click();
        expect(await settledState(page)).toBe('answered');
        await screenshot(page, `${prefix}-answer`);
        await lastAnswer(page).getByTestId('citation').first().click();
        await page.getByTestId('highlight').waitFor({ state: 'visible' });
        expect(await page.evaluate(() => document.querySelector('dialog')!.matches(':modal'))).toBe(name === 'phone');
        await screenshot(page, `${prefix}-source-panel`);
        await page.keyboard.press('Escape');
        await page.getByTestId('source-panel').waitFor({ state: 'hidden' });
        await ask(page, OFF_TOPIC);
        expect(await settledState(page)).toBe('not-covered');
        await screenshot(page, `${prefix}-not-covered`);
        const overflow = () =>
          page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(await overflow(), `${prefix} scrolls sideways`).toBeLessThanOrEqual(0);
        if (name === 'phone') {
          // The narrowest width supported.
          await page.setViewportSize({ width: 360, height: 740 });
          expect(await overflow(), `${prefix} at 360 px scrolls sideways`).toBeLessThanOrEqual(0);
        }
        await closePage(page);
      }
    }
  }, 60_000);

  it("takes the README's picture (npm run screenshot writes it to docs/screenshot.png)", async () => {
    const path = join(SCREENSHOT_DIR, 'readme.png');
    await rm(path, { force: true });
    await captureChatScreenshot(browser, server.url, path);
    expect((await stat(path)).size).toBeGreaterThan(10_000);
  }, 60_000);

  it('logged no console errors and no uncaught exceptions', () => {
    expect(problems.errors).toEqual([]);
  });
});
