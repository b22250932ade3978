import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from './server.ts';

/** Debian's Chromium (installed by .ci/run), never a downloaded browser build. */
export const CHROMIUM = '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Screenshots go to .artifacts/screenshots (ignored by git), for people to look at. */
export const SCREENSHOT_DIR = join(repoRoot, '.artifacts', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // No hover effects from wherever the last click happened.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

export interface PageProblems {
  /** Console errors and uncaught exceptions seen so far, minus the ones a test expected. */
  errors: string[];
  /** Console errors matching these are expected (e.g. the browser logging a stubbed 429). */
  allow: RegExp[];
}

/** Record console errors and page errors of every page opened in `context`. */
export function watchProblems(context: BrowserContext, problems: PageProblems): void {
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (problems.allow.some((pattern) => pattern.test(text))) return;
    problems.errors.push(`console: ${text} (${message.location().url})`);
  });
  context.on('weberror', (error) => problems.errors.push(`pageerror: ${error.error().message}`));
}
