import { createClient } from '@libsql/client';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openLibsqlDatabase } from '../../src/storage/libsql.ts';
import { readSummary } from '../../src/storage/question-log.ts';
import { withStagedRecording } from '../../src/storage/staged-questions.ts';
import { databaseUrl, questionRecord } from '../helpers/question-store.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

/** Counts read straight from the file, beside the connection under test (as a reader would). */
async function tableCounts(url: string): Promise<{ questions: number; batches: number }> {
  const client = createClient({ url });
  try {
    const rows = await client.execute(
      'SELECT (SELECT count(*) FROM questions) AS questions, (SELECT count(*) FROM question_batches) AS batches',
    );
    return { questions: Number(rows.rows[0]!.questions), batches: Number(rows.rows[0]!.batches) };
  } finally {
    client.close();
  }
}

describe('staged recording (Node)', () => {
  const tempDir = useTempDirs('atg-staged-');
  const never = { idleMs: 60_000, maxStagedRows: 1_000_000 };

  it('writes each batch as one staged row, and moves them into questions once idle', async () => {
    const url = databaseUrl(await tempDir());
    const db = await openLibsqlDatabase(url, MIGRATIONS_DIR, { idleMs: 50, maxStagedRows: 1_000_000 });
    await db.recordQuestions([questionRecord(), questionRecord(), questionRecord()]);
    await db.recordQuestions([questionRecord()]);
    expect(await tableCounts(url)).toEqual({ questions: 0, batches: 2 });
    await expect.poll(() => tableCounts(url), { timeout: 5_000 }).toEqual({ questions: 4, batches: 0 });
    db.close();
  });

  it('moves staged rows before any other statement, so a read sees every recorded question', async () => {
    const url = databaseUrl(await tempDir());
    const db = await openLibsqlDatabase(url, MIGRATIONS_DIR, never);
    // A newline, quotes and accents in the text survive the lines, the bytes and the move.
    const asked = questionRecord({ question: 'Can I take a pilot course?\n"Ça dépend" [1], {x}', outcome: 'none' });
    await db.recordQuestions([asked, questionRecord()]);
    const summary = await readSummary(db);
    expect(summary.questions).toBe(2);
    expect(summary.unanswered).toEqual([expect.objectContaining({ question: asked.question, count: 1 })]);
    expect(await tableCounts(url)).toEqual({ questions: 2, batches: 0 });
    db.close();
  });

  it('moves what is staged before staging more once maxStagedRows wait', async () => {
    const url = databaseUrl(await tempDir());
    const db = await openLibsqlDatabase(url, MIGRATIONS_DIR, { idleMs: 60_000, maxStagedRows: 3 });
    await db.recordQuestions([questionRecord(), questionRecord()]);
    await db.recordQuestions([questionRecord()]);
    expect(await tableCounts(url)).toEqual({ questions: 0, batches: 2 });
    await db.recordQuestions([questionRecord()]);
    expect(await tableCounts(url)).toEqual({ questions: 3, batches: 1 });
    db.close();
  });

  it('writes into the WAL alone while staging, and checkpoints it into the file after a move', async () => {
    const dir = await tempDir();
    const url = databaseUrl(dir);
    const db = await openLibsqlDatabase(url, MIGRATIONS_DIR, never);
    const fileBytes = async () => (await stat(join(dir, 'questions.db'))).size;
    const before = await fileBytes();
    // Some 500 KB of lines: short of SQLite's default automatic checkpoint (1000 pages).
    for (let i = 0; i < 20; i++) await db.recordQuestions(Array.from({ length: 100 }, () => questionRecord()));
    expect(await fileBytes()).toBe(before);
    await db.execute('SELECT 1');
    expect(await fileBytes()).toBeGreaterThan(before + 400_000);
    db.close();
  });

  it('moves rows a stopped process left staged when the database is next opened', async () => {
    const url = databaseUrl(await tempDir());
    const stopped = await openLibsqlDatabase(url, MIGRATIONS_DIR, never);
    const asked = questionRecord();
    await stopped.recordQuestions([asked]);
    stopped.close();
    expect(await tableCounts(url)).toEqual({ questions: 0, batches: 1 });

    const reopened = await openLibsqlDatabase(url, MIGRATIONS_DIR, never);
    expect(await tableCounts(url)).toEqual({ questions: 1, batches: 0 });
    expect(await reopened.execute('SELECT id FROM questions')).toEqual([{ id: asked.id }]);
    reopened.close();
  });

  it('keeps an id recorded twice once, as the direct insert does', async () => {
    const url = databaseUrl(await tempDir());
    const db = await openLibsqlDatabase(url, MIGRATIONS_DIR, never);
    const asked = questionRecord({ question: 'first' });
    await db.recordQuestions([asked]);
    await db.recordQuestions([{ ...asked, question: 'second' }]);
    expect(await db.execute('SELECT question FROM questions')).toEqual([{ question: 'first' }]);
    db.close();
  });

  it('after a move fails when idle, the next batch tries it again first and fails when it fails again', async () => {
    const url = databaseUrl(await tempDir());
    const real = await openLibsqlDatabase(url, MIGRATIONS_DIR, never);
    let moveFails = true;
    const moves: string[] = [];
    const db = withStagedRecording(
      {
        execute: (sql, args) => real.execute(sql, args),
        batch: async (statements) => {
          const isMove = statements.some((s) => s.sql.startsWith('DELETE FROM question_batches'));
          if (isMove) moves.push(moveFails ? 'failed' : 'moved');
          if (isMove && moveFails) throw new Error('disk I/O error');
          await real.batch(statements);
        },
        close: () => real.close(),
      },
      { idleMs: 20, maxStagedRows: 1_000_000 },
    );
    await db.recordQuestions([questionRecord()]);
    await expect.poll(() => moves).toEqual(['failed']);

    await expect(db.recordQuestions([questionRecord()])).rejects.toThrow('disk I/O error');
    // The batch that failed was not staged; the first one still is.
    expect(await tableCounts(url)).toEqual({ questions: 0, batches: 1 });

    moveFails = false;
    await db.recordQuestions([questionRecord()]);
    expect(await tableCounts(url)).toEqual({ questions: 1, batches: 1 });
    expect(moves).toEqual(['failed', 'failed', 'moved']);
    db.close();
  });
});
