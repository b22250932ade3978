/**
 * The owner's dashboard in Chromium against the real Node server: sign-in (a wrong token
 * first), then the dashboard with a month of questions, in light and dark. Screenshots land
 * in .artifacts/screenshots.
 */
import { createClient } from '@libsql/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, watchProblems, type PageProblems } from './helpers/browser.ts';
import { startServer, type RunningServer } from './helpers/server.ts';

const TOKEN = 'browser-test-admin-token-0123';
const DAY = 86_400_000;

let server: RunningServer;
let browser: Browser;
const problems: PageProblems = { errors: [], allow: [] };

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ ADMIN_TOKEN: TOKEN }), launchBrowser()]);
  await seed();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Questions through the real /ask (and feedback), plus a month of history written into the database. */
async function seed(): Promise<void> {
  const ask = async (question: string) =>
    (await (
      await fetch(`${server.url}/ask`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ question }),
      })
    ).json()) as { id: string };
  const answered = await ask('How do I move from sales into product management?');
  await ask('What salary does a product manager earn in Berlin?');
  await ask('what salary does a product manager earn in berlin');
  await ask('Is a PM certificate worth it?');
  const rate = (body: unknown) =>
    fetch(`${server.url}/feedback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect(
    (await rate({ id: answered.id, rating: 'down', comment: 'It did not say how long the move takes. <b>bold?</b>' }))
      .status,
  ).toBe(200);

  const db = createClient({ url: server.databaseUrl });
  const now = Date.now();
  const sections = [
    { document: 'transition-product-management-background', section: 'Moving from Sales to Product Management' },
    { document: 'transition-product-management-background', section: 'Becoming a Product Manager as an Engineer' },
    { document: 'product-side-projects', section: 'Building a Side Project' },
  ];
  const statements = [];
  for (let day = 1; day < 30; day++) {
    const count = 3 + ((day * 7) % 11) + (day % 6 === 0 ? 8 : 0);
    for (let i = 0; i < count; i++) {
      const outcome = i % 7 === 0 ? 'none' : i % 5 === 0 ? 'related' : 'answered';
      const cited = outcome === 'none' ? [] : [sections[(day + i) % sections.length]];
      statements.push({
        sql: `INSERT INTO questions (id, asked_at, question, question_key, outcome, mode, latency_ms, generation, citations)
              VALUES (?, ?, ?, ?, ?, 'extractive', 2, 'seed', ?)`,
        args: [
          `seed-${day}-${i}`,
          now - day * DAY - i * 60_000,
          `Seeded question ${i % 9}`,
          `seeded question ${i % 9}`,
          outcome,
          JSON.stringify(cited),
        ],
      });
    }
  }
  await db.batch(statements, 'write');
  db.close();
}

async function openAdmin(colorScheme: 'light' | 'dark', viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, colorScheme, reducedMotion: 'reduce' });
  watchProblems(context, problems);
  const page = await context.newPage();
  await page.goto(`${server.url}/admin`);
  return page;
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByTestId('admin-token').fill(token);
  await Promise.all([page.waitForLoadState('load'), page.getByTestId('admin-sign-in').click()]);
}

describe('/admin in Chromium', () => {
  it('a wrong token shows an error and opens nothing; the right one opens the dashboard', async () => {
    const page = await openAdmin('light');
    problems.allow.push(/401/);
    await signIn(page, 'not-the-admin-token-at-all');
    await expect.poll(() => page.getByTestId('admin-error').isVisible()).toBe(true);
    expect(await page.getByTestId('dashboard').count()).toBe(0);
    expect(await page.context().cookies()).toEqual([]);
    await screenshot(page, 'admin-sign-in-error-light');

    await signIn(page, TOKEN);
    await expect.poll(() => page.getByTestId('dashboard').isVisible()).toBe(true);
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'atg_admin', httpOnly: true, sameSite: 'Strict', path: '/admin' });
    expect(cookie!.value).not.toContain(TOKEN);

    const chart = page.getByTestId('questions-chart');
    expect(await chart.isVisible()).toBe(true);
    expect(await chart.locator('rect.chart-bar').count()).toBe(30);
    const unanswered = await page.getByTestId('unanswered').innerText();
    expect(unanswered).toMatch(/what salary does a product manager earn in berlin\s+2/i);
    const thumbsDown = await page.getByTestId('thumbs-down').innerText();
    expect(thumbsDown).toContain('It did not say how long the move takes. <b>bold?</b>');
    expect(thumbsDown).toContain('Moving from Sales to Product Management');
    expect(await page.getByTestId('top-sections').innerText()).toContain('Building a Side Project');
    await screenshot(page, 'admin-dashboard-light');
    await page.screenshot({ path: '.artifacts/screenshots/admin-dashboard-light-full.png', fullPage: true });
    problems.allow.length = 0;
    expect(problems.errors).toEqual([]);
    await page.context().close();
  });

  it('reads well in dark mode, on a phone too', async () => {
    const page = await openAdmin('dark');
    await signIn(page, TOKEN);
    await expect.poll(() => page.getByTestId('dashboard').isVisible()).toBe(true);
    // The chart's bars take the dark accent, not the light one.
    const fill = await page
      .locator('rect.chart-bar')
      .first()
      .evaluate((el) => getComputedStyle(el).fill);
    expect(fill).toBe('rgb(140, 176, 255)');
    await page.screenshot({ path: '.artifacts/screenshots/admin-dashboard-dark-full.png', fullPage: true });
    await screenshot(page, 'admin-dashboard-dark');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'admin-dashboard-dark-phone');
    expect(problems.errors).toEqual([]);
    await page.context().close();
  });

  it('signs out', async () => {
    const page = await openAdmin('light');
    await signIn(page, TOKEN);
    await Promise.all([page.waitForLoadState('load'), page.getByTestId('admin-sign-out').click()]);
    await expect.poll(() => page.getByTestId('admin-sign-in').isVisible()).toBe(true);
    expect(await page.context().cookies()).toEqual([]);
    await page.context().close();
  });
});
