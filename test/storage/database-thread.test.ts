import { createClient } from '@libsql/client';
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabaseThread } from '../../src/storage/database-thread.ts';
import { DATABASE_THREAD_NICE_INCREMENT, MAX_NICE } from '../../src/storage/thread-priority.ts';
import { readAllQuestions } from '../../src/storage/question-log.ts';
import { blockStagingFile, databaseUrl, questionRecord, stagedLineCount } from '../helpers/question-store.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

/**
 * The Node database on its worker thread (database-thread.ts): the same Database surface as
 * the libSQL client, on a real SQLite file, with the statements run on the worker.
 */

const tempDir = useTempDirs('atg-db-thread-');
const execFileAsync = promisify(execFile);

describe('the database thread', () => {
  it('creates, migrates and writes the file; what it recorded reads back, and survives a reopen', async () => {
    const url = databaseUrl(join(await tempDir(), 'nested', 'folder'));
    const db = await openDatabaseThread(url);
    const records = [questionRecord(), questionRecord({ outcome: 'none', citedSections: '{}' })];
    expect(records.map((r) => db.queueQuestion(r))).toEqual([true, true]);
    await db.drainQueue();
    expect((await readAllQuestions(db)).map((r) => [r.id, r.outcome])).toEqual([
      [records[0]!.id, 'answered'],
      [records[1]!.id, 'none'],
    ]);
    db.close();

    const reopened = await openDatabaseThread(url);
    expect(await reopened.execute('SELECT count(*) AS n FROM questions')).toEqual([{ n: 2 }]);
    reopened.close();
  });

  it('writes queued records on its own, without being asked to drain', async () => {
    const dir = await tempDir();
    const url = databaseUrl(dir);
    const db = await openDatabaseThread(url);
    const asked = questionRecord({ question: 'Où est la gare ? 🚉' });
    db.queueQuestion(asked);
    // Read beside the thread, as the dashboard of another process would: lines staged or moved.
    const reader = createClient({ url });
    const stored = async () => {
      const result = await reader.execute('SELECT count(*) AS n FROM questions');
      return Number(result.rows[0]!.n) + (await stagedLineCount(dir));
    };
    await expect.poll(stored, { timeout: 5_000 }).toBe(1);
    reader.close();
    expect(await readAllQuestions(db)).toEqual([expect.objectContaining({ id: asked.id, question: asked.question })]);
    db.close();
  });

  it('reports queued records it could not write to the listener, with their count, and writes later ones', async () => {
    const dir = await tempDir();
    const db = await openDatabaseThread(databaseUrl(dir));
    const failures: Array<[string, number]> = [];
    db.onQueueFailure((error, lost) => failures.push([error.message, lost]));
    const first = questionRecord();
    db.queueQuestion(first);
    await db.drainQueue();
    await db.execute('SELECT 1');
    const unblock = await blockStagingFile(dir);
    db.queueQuestion(questionRecord());
    db.queueQuestion(questionRecord());
    await db.drainQueue();
    expect(failures).toEqual([[expect.stringMatching(/EISDIR/), 2]]);

    await unblock();
    const kept = questionRecord();
    db.queueQuestion(kept);
    await db.drainQueue();
    expect((await readAllQuestions(db)).map((r) => r.id)).toEqual([first.id, kept.id]);
    db.close();
  });

  it('refuses to queue once closed', async () => {
    const db = await openDatabaseThread(databaseUrl(await tempDir()));
    db.close();
    expect(db.queueQuestion(questionRecord())).toBe(false);
  });

  it.runIf(process.platform === 'linux')(
    'runs nicer than the thread that answers, which keeps its own priority',
    async () => {
      // Each thread's nice value; a thread that ends while it is read (V8's helpers come and go) is left out.
      const niceOfThreads = async () => {
        const threads = await readdir('/proc/self/task');
        const nice = await Promise.all(
          threads.map(async (id) => {
            const stat = await readFile(`/proc/self/task/${id}/stat`, 'utf8').catch(() => null);
            // After "pid (comm) ", nice is field 19 (1-based in proc(5)).
            return stat === null ? null : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
          }),
        );
        return new Map(
          threads.flatMap((id, i) => (nice[i] === null ? [] : [[Number(id), nice[i]!] as [number, number]])),
        );
      };
      const before = await niceOfThreads();
      const db = await openDatabaseThread(databaseUrl(await tempDir()));
      await db.execute('SELECT 1');
      const started = [...(await niceOfThreads())].filter(([id]) => !before.has(id));
      const answering = before.get(process.pid)!;
      expect(started.map(([, nice]) => nice)).toContain(Math.min(MAX_NICE, answering + DATABASE_THREAD_NICE_INCREMENT));
      expect((await niceOfThreads()).get(process.pid)).toBe(answering);
      db.close();
    },
  );

  it('rejects a failing statement with its SQLite error, runs a batch all or nothing, and goes on serving', async () => {
    const db = await openDatabaseThread(databaseUrl(await tempDir()));
    await expect(db.execute('SELECT * FROM no_such_table')).rejects.toThrow(/no such table: no_such_table/);
    await expect(
      db.batch([
        { sql: 'INSERT INTO feedback (answer_id, rating, rated_at) VALUES (?, ?, ?)', args: ['a', 'up', 1] },
        { sql: 'INSERT INTO feedback (answer_id, rating, rated_at) VALUES (?, ?, ?)', args: ['b', 'meh', 1] },
      ]),
    ).rejects.toThrow(/CHECK constraint failed/);
    expect(await db.execute('SELECT count(*) AS n FROM feedback')).toEqual([{ n: 0 }]);
    db.close();
    await expect(db.execute('SELECT 1')).rejects.toThrow('the database is closed');
  });

  it('starts a new worker on the next call after one dies, failing only the call it died on', async () => {
    const standIn = new URL('../fixtures/stand-in-database-worker.mjs', import.meta.url);
    const db = await openDatabaseThread('file:unused.db', standIn);
    const [first] = await db.execute('thread');
    await expect(db.execute('exit')).rejects.toThrow('the database worker exited with code 3');
    const [second] = await db.execute('thread');
    expect(second!.thread).not.toBe(first!.thread);
    db.close();
  });

  it('starts a new worker as soon as a record is queued after one died, since only a worker empties the queue', async () => {
    const standIn = new URL('../fixtures/stand-in-database-worker.mjs', import.meta.url);
    const db = await openDatabaseThread('file:unused.db', standIn);
    await expect(db.execute('exit')).rejects.toThrow('the database worker exited');
    expect(db.queueQuestion(questionRecord())).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const asked = Date.now();
    // Started by the record, not by this call (which a dead worker would have had to wait for).
    const [replacement] = await db.execute('started');
    expect(Number(replacement!.startedAt)).toBeLessThan(asked - 500);
    db.close();
  });

  it('never keeps the process alive when idle, but does while a call is in flight', async () => {
    // A process that opens the database, makes one call and returns: it exits by itself.
    const script = `
      import { openDatabaseThread } from ${JSON.stringify(new URL('../../src/storage/database-thread.ts', import.meta.url).href)};
      const db = await openDatabaseThread('file:unused.db', new URL(${JSON.stringify(new URL('../fixtures/stand-in-database-worker.mjs', import.meta.url).href)}));
      db.execute('thread').then((rows) => console.log(JSON.stringify(rows)));
    `;
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 15_000,
    });
    // The answer arrived (the call in flight held the process), then the process ended.
    expect(JSON.parse(stdout)).toEqual([{ thread: expect.any(Number), startedAt: expect.any(Number) }]);
  });

  it('fails to open, naming the cause, where the file cannot be made (a file stands where its folder would be)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'not-a-folder'), 'x');
    const url = pathToFileURL(join(dir, 'not-a-folder', 'questions.db')).href;
    await expect(openDatabaseThread(url)).rejects.toThrow(/EEXIST|ENOTDIR|not a directory/i);
  });
});
