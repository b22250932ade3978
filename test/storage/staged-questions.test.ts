import { createClient } from '@libsql/client';
import { spawn } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openLibsqlDatabase } from '../../src/storage/libsql.ts';
import { questionLines, readSummary } from '../../src/storage/question-log.ts';
import { tableStage, withStagedRecording } from '../../src/storage/staged-questions.ts';
import { openStagingFile } from '../../src/storage/staging-file.ts';
import { databaseUrl, questionRecord, stagedLineCount, stagingFiles } from '../helpers/question-store.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

/** Rows read straight from the file, beside the connection under test (as a reader would). */
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

/** Questions in the database, and question lines waiting in its folder's staging files. */
async function counts(dir: string): Promise<{ questions: number; staged: number }> {
  const { questions } = await tableCounts(databaseUrl(dir));
  return { questions, staged: await stagedLineCount(dir) };
}

/** The pid of a process that has exited. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('staged recording (Node)', () => {
  const tempDir = useTempDirs('atg-staged-');
  const never = { idleMs: 60_000, maxStagedRows: 1_000_000 };

  it('appends each batch to a staging file beside the database, and moves the lines into questions once idle', async () => {
    const dir = await tempDir();
    const db = await openLibsqlDatabase(databaseUrl(dir), MIGRATIONS_DIR, { idleMs: 50, maxStagedRows: 1_000_000 });
    await db.recordQuestions([questionRecord(), questionRecord(), questionRecord()]);
    await db.recordQuestions([questionRecord()]);
    expect(await counts(dir)).toEqual({ questions: 0, staged: 4 });
    expect(await stagingFiles(dir)).toEqual([`questions.db-staged-${process.pid}-${threadId}.jsonl`]);
    await expect.poll(() => counts(dir), { timeout: 5_000 }).toEqual({ questions: 4, staged: 0 });
    db.close();
  });

  it('moves staged lines before any other statement, so a read sees every recorded question', async () => {
    const dir = await tempDir();
    const db = await openLibsqlDatabase(databaseUrl(dir), MIGRATIONS_DIR, never);
    // A newline, quotes and accents in the text survive the lines, the bytes and the move.
    const asked = questionRecord({ question: 'Can I take a pilot course?\n"Ça dépend" [1], {x}', outcome: 'none' });
    await db.recordQuestions([asked, questionRecord()]);
    const summary = await readSummary(db);
    expect(summary.questions).toBe(2);
    expect(summary.unanswered).toEqual([expect.objectContaining({ question: asked.question, count: 1 })]);
    expect(await counts(dir)).toEqual({ questions: 2, staged: 0 });
    db.close();
  });

  it('moves what is staged before staging more once maxStagedRows wait', async () => {
    const dir = await tempDir();
    const db = await openLibsqlDatabase(databaseUrl(dir), MIGRATIONS_DIR, { idleMs: 60_000, maxStagedRows: 3 });
    await db.recordQuestions([questionRecord(), questionRecord()]);
    await db.recordQuestions([questionRecord()]);
    expect(await counts(dir)).toEqual({ questions: 0, staged: 3 });
    await db.recordQuestions([questionRecord()]);
    expect(await counts(dir)).toEqual({ questions: 3, staged: 1 });
    db.close();
  });

  it('writes nothing into the database while staging, and checkpoints the WAL into the file after a move', async () => {
    const dir = await tempDir();
    const db = await openLibsqlDatabase(databaseUrl(dir), MIGRATIONS_DIR, never);
    const bytes = async (name: string) => (await stat(join(dir, name)).catch(() => ({ size: 0 }))).size;
    const before = { file: await bytes('questions.db'), wal: await bytes('questions.db-wal') };
    // Some 500 KB of lines.
    for (let i = 0; i < 20; i++) await db.recordQuestions(Array.from({ length: 100 }, () => questionRecord()));
    expect({ file: await bytes('questions.db'), wal: await bytes('questions.db-wal') }).toEqual(before);
    await db.execute('SELECT 1');
    expect(await bytes('questions.db')).toBeGreaterThan(before.file + 400_000);
    // Moved in several statements of whole lines (staging-file.ts): every one of them arrives.
    expect(await counts(dir)).toEqual({ questions: 2000, staged: 0 });
    db.close();
  });

  it('moves a line longer than the chunk the move reads at a time, with the lines around it', async () => {
    const dir = await tempDir();
    const db = await openLibsqlDatabase(databaseUrl(dir), MIGRATIONS_DIR, never);
    // Questions are bounded far below this; the staging file itself is not.
    const long = questionRecord({ question: 'é'.repeat(300_000) });
    await db.recordQuestions([questionRecord(), long, questionRecord()]);
    const rows = (await db.execute('SELECT id, length(question) AS length FROM questions ORDER BY rowid')) as Array<{
      id: string;
      length: number;
    }>;
    expect(rows.map((r) => r.length)).toEqual([38, 300_000, 38]);
    expect(rows[1]!.id).toBe(long.id);
    db.close();
  });

  it('moves lines a stopped server left staged when the database is next opened, and removes its file', async () => {
    const dir = await tempDir();
    const url = databaseUrl(dir);
    const stopped = await openLibsqlDatabase(url, MIGRATIONS_DIR, never);
    const asked = questionRecord();
    await stopped.recordQuestions([asked]);
    stopped.close();
    expect(await counts(dir)).toEqual({ questions: 0, staged: 1 });

    const reopened = await openLibsqlDatabase(url, MIGRATIONS_DIR, never);
    expect(await counts(dir)).toEqual({ questions: 1, staged: 0 });
    expect(await stagingFiles(dir)).toEqual([]);
    expect(await reopened.execute('SELECT id FROM questions')).toEqual([{ id: asked.id }]);
    reopened.close();
  });

  it("leaves a running server's staging file alone, and moves those of exited ones, whole lines only", async () => {
    const dir = await tempDir();
    (await openLibsqlDatabase(databaseUrl(dir), MIGRATIONS_DIR, never)).close();
    const [running, exited, cut] = [questionRecord(), questionRecord(), questionRecord()];
    // The parent of this test's process runs as long as the test does.
    await writeFile(join(dir, `questions.db-staged-${process.ppid}-1.jsonl`), questionLines([running]));
    // A crash while appending leaves a last line cut short: it is dropped, the lines before it moved.
    const cutShort = questionLines([cut]).slice(0, 30);
    await writeFile(join(dir, `questions.db-staged-${await exitedPid()}-3.jsonl`), questionLines([exited]) + cutShort);

    const db = await openLibsqlDatabase(databaseUrl(dir), MIGRATIONS_DIR, never);
    expect(await db.execute('SELECT id FROM questions')).toEqual([{ id: exited.id }]);
    expect(await stagingFiles(dir)).toEqual([`questions.db-staged-${process.ppid}-1.jsonl`]);
    db.close();
  });

  it('two databases of one file in one thread each stage in a file of their own', async () => {
    const dir = await tempDir();
    const [first, second] = [
      await openLibsqlDatabase(databaseUrl(dir), MIGRATIONS_DIR, never),
      await openLibsqlDatabase(databaseUrl(dir), MIGRATIONS_DIR, never),
    ];
    await first.recordQuestions([questionRecord()]);
    await second.recordQuestions([questionRecord(), questionRecord()]);
    expect((await stagingFiles(dir)).length).toBe(2);
    await first.execute('SELECT 1');
    expect(await counts(dir)).toEqual({ questions: 1, staged: 2 });
    await second.execute('SELECT 1');
    expect(await counts(dir)).toEqual({ questions: 3, staged: 0 });
    first.close();
    second.close();
  });

  it('fails a batch whose staging file cannot be written, and stages the next once it can', async () => {
    const dir = await tempDir();
    const db = await openLibsqlDatabase(databaseUrl(dir), MIGRATIONS_DIR, never);
    const stagingFile = join(dir, `questions.db-staged-${process.pid}-${threadId}.jsonl`);
    await mkdir(stagingFile);
    await expect(db.recordQuestions([questionRecord()])).rejects.toThrow(/EISDIR/);
    await rm(stagingFile, { recursive: true });
    const kept = questionRecord();
    await db.recordQuestions([kept]);
    expect(await db.execute('SELECT id FROM questions')).toEqual([{ id: kept.id }]);
    db.close();
  });

  it('goes on recording after its staging file is removed by hand (the lines in it are lost)', async () => {
    const dir = await tempDir();
    const db = await openLibsqlDatabase(databaseUrl(dir), MIGRATIONS_DIR, never);
    await db.recordQuestions([questionRecord()]);
    const [name] = await stagingFiles(dir);
    await rm(join(dir, name!));
    expect(await db.execute('SELECT count(*) AS n FROM questions')).toEqual([{ n: 0 }]);
    const kept = questionRecord();
    await db.recordQuestions([kept]);
    expect(await db.execute('SELECT id FROM questions')).toEqual([{ id: kept.id }]);
    db.close();
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

  it('a move that fails after some of its chunks is done again in full, each line moved once', async () => {
    const dir = await tempDir();
    const real = await openLibsqlDatabase(databaseUrl(dir), MIGRATIONS_DIR, never);
    let inserts = 0;
    let failAtInsert = 2;
    const failing = {
      execute: async (sql: string, args?: Parameters<typeof real.execute>[1]) => {
        if (sql.includes('INSERT OR IGNORE INTO questions') && ++inserts === failAtInsert)
          throw new Error('disk I/O error');
        return real.execute(sql, args);
      },
      batch: real.batch,
      close: () => real.close(),
    };
    const stage = openStagingFile(failing, join(dir, 'questions.db'));
    // Some 400 KB of lines: several chunks, the first of them committed before the failure.
    const lines = Array.from({ length: 1500 }, () => questionRecord());
    await stage.append(new TextEncoder().encode(questionLines(lines)));
    await expect(stage.move()).rejects.toThrow('disk I/O error');
    const moved = async () =>
      Number(((await real.execute('SELECT count(*) AS n FROM questions')) as [{ n: number }])[0].n);
    expect(await moved()).toBeGreaterThan(0);
    expect(await moved()).toBeLessThan(1500);
    expect(await stagedLineCount(dir)).toBe(1500);

    failAtInsert = 0;
    await stage.move();
    expect(await moved()).toBe(1500);
    expect(await stagedLineCount(dir)).toBe(0);
    stage.close();
    real.close();
  });

  it('stages in question_batches where there is no file, and moves those rows when idle', async () => {
    const url = databaseUrl(await tempDir());
    const real = await openLibsqlDatabase(url, MIGRATIONS_DIR, never);
    const db = withStagedRecording(real, tableStage(real), { idleMs: 20, maxStagedRows: 1_000_000 });
    await db.recordQuestions([questionRecord(), questionRecord()]);
    expect(await tableCounts(url)).toEqual({ questions: 0, batches: 1 });
    await expect.poll(() => tableCounts(url), { timeout: 5_000 }).toEqual({ questions: 2, batches: 0 });
    db.close();
  });

  it('a failed move is reported and tried again before the next batch, which is staged all the same until the stage is full', async () => {
    const url = databaseUrl(await tempDir());
    const real = await openLibsqlDatabase(url, MIGRATIONS_DIR, never);
    let moveFails = true;
    const moves: string[] = [];
    const failing = {
      execute: real.execute,
      batch: async (statements: Parameters<typeof real.batch>[0]) => {
        const isMove = statements.some((s) => s.sql.startsWith('DELETE FROM question_batches'));
        if (isMove) moves.push(moveFails ? 'failed' : 'moved');
        if (isMove && moveFails) throw new Error('disk I/O error');
        await real.batch(statements);
      },
      close: () => real.close(),
    };
    const db = withStagedRecording(failing, tableStage(failing), { idleMs: 20, maxStagedRows: 3 });
    const reported: string[] = [];
    db.onMoveFailure((error) => reported.push(String(error)));
    await db.recordQuestions([questionRecord()]);
    await expect.poll(() => moves).toEqual(['failed']);
    expect(reported).toEqual(['Error: disk I/O error']);

    // Tried again first; it fails, and the batch is staged regardless: nothing is lost.
    await db.recordQuestions([questionRecord(), questionRecord()]);
    expect(moves.slice(0, 2)).toEqual(['failed', 'failed']);
    expect(await tableCounts(url)).toEqual({ questions: 0, batches: 2 });

    // Three rows wait (maxStagedRows): a batch now fails with the move, and is not staged.
    await expect.poll(() => moves.length).toBeGreaterThanOrEqual(3);
    await expect(db.recordQuestions([questionRecord()])).rejects.toThrow('disk I/O error');
    expect(await tableCounts(url)).toEqual({ questions: 0, batches: 2 });

    moveFails = false;
    await db.recordQuestions([questionRecord()]);
    expect(await tableCounts(url)).toEqual({ questions: 3, batches: 1 });
    db.close();
  });
});
