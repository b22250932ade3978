import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readSummary } from '../../src/storage/question-log.ts';
import { databaseUrl, fileStore, questionRecord } from '../helpers/question-store.ts';
import { repoRoot, useTempDirs } from '../helpers/temp-dir.ts';

/** npm run report: the /admin/api/summary figures as tables in the terminal, from DATABASE_URL. */

const tempDir = useTempDirs('atg-report-');

async function report(env: Record<string, string>, ...args: string[]) {
  const cleanEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
  return promisify(execFile)(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/report.ts'), ...args], {
    cwd: repoRoot,
    env: cleanEnv,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

describe('npm run report', () => {
  it('prints the summary as tables, and the same figures as the API with --json', { timeout: 90_000 }, async () => {
    const url = databaseUrl(await tempDir());
    const { store, opened } = fileStore(url);
    const answered = questionRecord();
    store.record(answered);
    store.record(
      questionRecord({
        question: 'Can I bring my dog\nto work?',
        outcome: 'none',
        citedSections: '{}',
        askedAt: Date.now() - 60_000,
      }),
    );
    store.record(questionRecord({ question: 'can I bring my dog to work', outcome: 'none', citedSections: '{}' }));
    store.record(questionRecord({ outcome: 'related' }));
    await store.flush();
    await store.saveFeedback({ answerId: answered.id, rating: 'down' });
    const expected = await store.read(readSummary);
    opened.forEach((db) => db.close());

    const text = await report({ DATABASE_URL: url, RETENTION_DAYS: '30' });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('questions recorded (last 30 days)');
    expect(text.stdout).toMatch(/Questions\s+4/);
    expect(text.stdout).toMatch(/Not covered\s+2\s+50%/);
    expect(text.stdout).toMatch(/Thumbs down\s+1\s+100%/);
    expect(text.stdout).toMatch(/can I bring my dog to work\s+2\s+\d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(text.stdout).toMatch(
      /Moving from Sales to Product Management\s+transition-product-management-background\s+2/,
    );

    const json = await report({ DATABASE_URL: url }, '--json');
    expect(JSON.parse(json.stdout)).toEqual(expected);
  });

  it('says in one line that there is no database yet, and exits 1', { timeout: 60_000 }, async () => {
    const missing = join(await tempDir(), 'none.db');
    const result = await report({ DATABASE_URL: `file:${missing}` });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `error: no database at ${missing} yet: start the server and ask a question, or set DATABASE_URL`,
    );
  });
});
