/**
 * Thumbs up / down under answers, in Chromium against the real Node server, checked in the
 * server's own database. Screenshots land in .artifacts/screenshots.
 */
import { createClient } from '@libsql/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, watchProblems, type PageProblems } from './helpers/browser.ts';
import { startServer, type RunningServer } from './helpers/server.ts';

const QUESTION = 'How do I move from sales into product management?';
const OFF_TOPIC = 'how do I cook risotto?';

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

async function openPage(
  colorScheme: 'light' | 'dark' = 'light',
  viewport = { width: 1280, height: 800 },
): Promise<Page> {
  const context = await browser.newContext({ viewport, colorScheme, reducedMotion: 'reduce' });
  watchProblems(context, problems);
  const page = await context.newPage();
  await page.goto(server.url);
  await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('js'))).toBe(true);
  return page;
}

/** Ask and wait for the answer to be done; returns the answer turn and its id (as the server recorded it). */
async function ask(page: Page, question: string) {
  const before = await query('SELECT count(*) AS n FROM questions');
  await page.getByTestId('question-input').fill(question);
  await page.getByTestId('question-input').press('Enter');
  const answer = page.getByTestId('answer').last();
  await expect.poll(() => answer.getAttribute('data-state'), { timeout: 10_000 }).toMatch(/^(answered|not-covered)$/);
  await expect
    .poll(async () => (await query('SELECT count(*) AS n FROM questions'))[0]!.n)
    .toBe(Number(before[0]!.n) + 1);
  const [latest] = await query('SELECT id, question FROM questions ORDER BY asked_at DESC, rowid DESC LIMIT 1');
  expect(latest!.question).toBe(question);
  return { answer, id: String(latest!.id) };
}

/** A query on the server's own database file. */
async function query(sql: string, ...args: string[]): Promise<Array<Record<string, unknown>>> {
  const db = createClient({ url: server.databaseUrl });
  try {
    return (await db.execute({ sql, args })).rows.map((row) => ({ ...row }));
  } finally {
    db.close();
  }
}

async function feedbackRow(id: string): Promise<Record<string, unknown> | undefined> {
  return (await query('SELECT rating, comment FROM feedback WHERE answer_id = ?', id))[0];
}

/**
 * An element's box in the coordinates of what scrolls it (the conversation, or the page): a
 * thumb scrolled into view by the keyboard moves the viewport, not the layout.
 */
const box = (page: Page, selector: string) =>
  page.evaluate((s) => {
    const element = document.querySelector(s)!;
    let scroller: Element | null = element.parentElement;
    while (
      scroller &&
      !(scroller.scrollHeight > scroller.clientHeight && /auto|scroll/.test(getComputedStyle(scroller).overflowY))
    ) {
      scroller = scroller.parentElement;
    }
    const r = element.getBoundingClientRect();
    const offset = scroller ? scroller.scrollTop - scroller.getBoundingClientRect().top : window.scrollY;
    return { top: r.top + offset, height: r.height, width: r.width };
  }, selector);

describe('answer feedback', () => {
  it('thumbs up by keyboard: pressed, thanked, saved, and nothing on the page moves', async () => {
    const page = await openPage();
    const { answer, id } = await ask(page, QUESTION);
    const up = answer.getByTestId('feedback-up');
    const down = answer.getByTestId('feedback-down');
    expect(await up.getAttribute('aria-pressed')).toBe('false');
    expect(await up.getAttribute('aria-label')).toBe('Helpful');
    expect(await down.getAttribute('aria-label')).toBe('Not helpful');

    const card = '[data-testid="answer"]:last-of-type .answer-card';
    const before = { card: await box(page, card), copy: await box(page, '[data-testid="copy"]') };
    await up.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => up.getAttribute('aria-pressed')).toBe('true');
    expect(await down.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => answer.getByTestId('feedback-status').innerText()).toBe('Thanks for your feedback.');
    expect({ card: await box(page, card), copy: await box(page, '[data-testid="copy"]') }).toEqual(before);
    await expect.poll(() => feedbackRow(id)).toEqual({ rating: 'up', comment: null });
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await screenshot(page, 'feedback-up-light');

    // Changing one's mind by keyboard: Tab to the other thumb, Space.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect.poll(() => down.getAttribute('aria-pressed')).toBe('true');
    expect(await up.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => feedbackRow(id)).toEqual({ rating: 'down', comment: null });
    expect(problems.errors).toEqual([]);
    await page.context().close();
  });

  it('thumbs down opens a comment box (focused); Enter sends the comment', async () => {
    const page = await openPage('dark');
    const { answer, id } = await ask(page, QUESTION);
    await answer.getByTestId('feedback-down').click();
    const comment = answer.getByTestId('feedback-comment');
    await expect.poll(() => comment.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await comment.getAttribute('maxlength')).toBe('1000');
    await comment.fill('It did not say how long the move takes.');
    await page.evaluate(() =>
      document.querySelector('[data-testid="feedback-send"]')?.scrollIntoView({ block: 'center' }),
    );
    await screenshot(page, 'feedback-comment-dark');
    await comment.press('Enter');
    await expect.poll(() => answer.getByTestId('feedback-status').innerText()).toBe('Thanks, your comment was sent.');
    expect(await answer.getByTestId('feedback-comment').count()).toBe(0);
    await expect
      .poll(() => feedbackRow(id))
      .toEqual({ rating: 'down', comment: 'It did not say how long the move takes.' });
    expect(problems.errors).toEqual([]);
    await page.context().close();
  });

  it('an answer the guide does not cover can be rated too', async () => {
    const page = await openPage('light', { width: 375, height: 740 });
    const { answer, id } = await ask(page, OFF_TOPIC);
    expect(await answer.getAttribute('data-state')).toBe('not-covered');
    await answer.getByTestId('feedback-down').click();
    await expect.poll(() => feedbackRow(id)).toEqual({ rating: 'down', comment: null });
    await screenshot(page, 'feedback-not-covered-phone');
    await page.context().close();
  });

  it('says so, and disables the thumbs, when the server collects no feedback', async () => {
    const page = await openPage();
    await page.route('**/feedback', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/json',
        body: '{"error":{"code":"not_found","message":"No answer with that id was recorded."}}',
      }),
    );
    problems.allow.push(/404/);
    const { answer } = await ask(page, QUESTION);
    await answer.getByTestId('feedback-up').click();
    await expect.poll(() => answer.getByTestId('feedback-status').innerText()).toBe('Feedback is not collected here.');
    expect(await answer.getByTestId('feedback-up').getAttribute('aria-pressed')).toBe('false');
    expect(await answer.getByTestId('feedback-up').isDisabled()).toBe(true);
    problems.allow.length = 0;
    await page.context().close();
  });
});
