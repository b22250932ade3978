import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser } from 'playwright-core';

/** The question the README's picture asks: one the guide answers, with several citations. */
export const SCREENSHOT_QUESTION = 'How do I move from sales into product management?';

/**
 * The chat as the README shows it: a desktop window, one question answered with its citations,
 * and the first cited section open beside it with the quote highlighted. Written to `path` as
 * PNG. Used by the browser test (which checks it still works) and by `npm run screenshot`
 * (which refreshes docs/screenshot.png).
 */
export async function captureChatScreenshot(browser: Browser, url: string, path: string): Promise<void> {
  const viewport = { width: 1280, height: 800 };
  const context = await browser.newContext({ viewport, colorScheme: 'light', reducedMotion: 'reduce' });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    await page.getByTestId('question-input').fill(SCREENSHOT_QUESTION);
    await page.getByTestId('question-input').press('Enter');
    const answer = page.getByTestId('answer').last();
    await page.waitForFunction(() => {
      const state = document.querySelector('[data-testid="answer"]:last-of-type')?.getAttribute('data-state');
      return state !== null && state !== undefined && state !== 'thinking' && state !== 'streaming';
    });
    const state = await answer.getAttribute('data-state');
    if (state !== 'answered') throw new Error(`the screenshot question was not answered (state: ${state})`);
    await answer.getByTestId('citation').first().click();
    await page.getByTestId('highlight').waitFor({ state: 'visible' });
    await mkdir(dirname(path), { recursive: true });
    // No hover effects from the last click.
    await page.mouse.move(0, 0);
    await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  } finally {
    await context.close();
  }
}
