import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { openDatabaseThread } from '../../src/storage/database-thread.ts';
import { MIGRATIONS_DIR, openLibsqlDatabase, readMigrations } from '../../src/storage/libsql.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  citedSectionsJson,
  readAllQuestions,
  readQuestionsPerDay,
  readSummary,
  readThumbsDown,
} from '../../src/storage/question-log.ts';
import { QuestionStore, STORE_DEFAULTS, StorageUnavailableError } from '../../src/storage/question-store.ts';
import { splitStatements, type Migration } from '../../src/storage/migrations.ts';
import {
  blockStagingFile,
  databaseUrl,
  fileStore,
  questionRecord,
  recordingLogger,
} from '../helpers/question-store.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const DAY = 86_400_000;

describe('the question store on a SQLite file (libSQL)', () => {
  const tempDir = useTempDirs('atg-store-');

  it('creates the folder and the file, migrates, and keeps what it recorded across a restart', async () => {
    const url = databaseUrl(await tempDir(), 'nested/folder/questions.db');
    const first = fileStore(url);
    const asked = questionRecord({ question: 'What is a PM?', outcome: 'related' });
    first.store.record(asked);
    await first.store.flush();
    expect(await first.store.saveFeedback({ answerId: asked.id, rating: 'down', comment: 'Too vague' })).toBe(true);
    first.opened.forEach((db) => db.close());

    // A new process: a new client on the same file; migrations are not applied twice.
    const second = fileStore(url);
    const summary = await second.store.read(readSummary);
    expect(summary).toMatchObject({
      questions: 1,
      outcomes: { answered: 0, related: 1, none: 0 },
      feedback: { up: 0, down: 1 },
      unanswered: [{ question: 'What is a PM?', count: 1 }],
    });
    const [down] = await second.store.read((db) => readThumbsDown(db));
    expect(down).toMatchObject({
      id: asked.id,
      question: 'What is a PM?',
      comment: 'Too vague',
      citations: [
        { document: 'transition-product-management-background', section: 'Moving from Sales to Product Management' },
      ],
    });
    const migrations = await second.store.read((db) => db.execute('SELECT name FROM d1_migrations'));
    expect(migrations.map((m) => m.name)).toEqual([
      '0001_recorded_questions.sql',
      '0002_compact_rows.sql',
      '0003_staged_questions.sql',
    ]);
    second.opened.forEach((db) => db.close());
  });

  it('writes nothing when recording is off, and finds no answer to rate', async () => {
    const dir = await tempDir();
    const { store, opened } = fileStore(databaseUrl(dir), { recording: false });
    const asked = questionRecord();
    store.record(asked);
    await store.flush();
    expect(await store.saveFeedback({ answerId: asked.id, rating: 'up' })).toBe(false);
    expect((await store.read(readSummary)).questions).toBe(0);
    opened.forEach((db) => db.close());
  });

  it('replaces a rating given twice, and refuses one for an answer it never recorded', async () => {
    const { store, opened } = fileStore(databaseUrl(await tempDir()));
    const asked = questionRecord();
    store.record(asked);
    // Not flushed by the test: feedback on an answer still in the queue finds it.
    expect(await store.saveFeedback({ answerId: asked.id, rating: 'up' })).toBe(true);
    expect(await store.saveFeedback({ answerId: asked.id, rating: 'down', comment: 'Wrong section' })).toBe(true);
    expect(await store.saveFeedback({ answerId: 'never-given', rating: 'up' })).toBe(false);
    const summary = await store.read(readSummary);
    expect(summary.feedback).toEqual({ up: 0, down: 1 });
    opened.forEach((db) => db.close());
  });

  it('deletes questions (and their feedback) older than RETENTION_DAYS at start, then daily', async () => {
    const url = databaseUrl(await tempDir());
    let now = Date.UTC(2026, 5, 1);
    const seed = fileStore(url, { now: () => now });
    const old = questionRecord({ askedAt: now - 10 * DAY });
    const recent = questionRecord({ askedAt: now - 2 * DAY });
    seed.store.record(old);
    seed.store.record(recent);
    await seed.store.flush();
    expect(await seed.store.saveFeedback({ answerId: old.id, rating: 'down' })).toBe(true);
    seed.opened.forEach((db) => db.close());

    const { store, opened } = fileStore(url, { now: () => now, retentionDays: 7 });
    await store.start();
    const ids = async () => (await store.read(readAllQuestions)).map((q) => q.id);
    expect(await ids()).toEqual([recent.id]);
    expect((await store.read(readSummary)).feedback).toEqual({ up: 0, down: 0 });

    // A day later the recent one is 3 days old: kept; six days after that it is gone.
    now += DAY;
    store.record(questionRecord({ askedAt: now }));
    await store.flush();
    expect(await ids()).toHaveLength(2);
    now += 6 * DAY;
    expect(await ids()).toHaveLength(1);
    opened.forEach((db) => db.close());
  });

  it('groups unanswered questions by normalised text, with counts and the latest time and wording', async () => {
    const { store, opened } = fileStore(databaseUrl(await tempDir()));
    // Recent, so that retention (90 days from the real clock) keeps them.
    const t = Date.now() - 60_000;
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    store.record(questionRecord({ question: 'What is a PM salary?', outcome: 'none', askedAt: t }));
    store.record(questionRecord({ question: 'what is a pm  salary', outcome: 'none', askedAt: t + 1000 }));
    store.record(questionRecord({ question: 'Who is the CEO?', outcome: 'related', askedAt: t + 500 }));
    store.record(questionRecord({ question: 'How do I start?', outcome: 'answered', askedAt: t }));
    const summary = await store.read((db) => readSummary(db));
    expect(summary.unanswered).toEqual([
      { question: 'what is a pm  salary', count: 2, lastAsked: new Date(t + 1000).toISOString() },
      { question: 'Who is the CEO?', count: 1, lastAsked: new Date(t + 500).toISOString() },
    ]);
    expect(summary.topSections).toEqual([
      {
        document: 'transition-product-management-background',
        section: 'Moving from Sales to Product Management',
        count: 4,
      },
    ]);
    const perDay = await store.read((db) => readQuestionsPerDay(db, 3, t + DAY));
    expect(perDay).toEqual([
      { day: day(t - DAY), count: 0 },
      { day: day(t), count: 4 },
      { day: day(t + DAY), count: 0 },
    ]);
    opened.forEach((db) => db.close());
  });

  it('counts a section once per answer however many of its passages were cited', async () => {
    const { store, opened } = fileStore(databaseUrl(await tempDir()));
    const section = { document: 'd', section: 'S' };
    store.record(
      questionRecord({ citedSections: citedSectionsJson([section, section, { document: 'd', section: 'T' }]) }),
    );
    const { topSections } = await store.read((db) => readSummary(db));
    expect(topSections).toEqual([
      { document: 'd', section: 'S', count: 1 },
      { document: 'd', section: 'T', count: 1 },
    ]);
    opened.forEach((db) => db.close());
  });
});

describe('a failing database', () => {
  const tempDir = useTempDirs('atg-store-fail-');

  it('never throws from record, logs at most one error a minute, and recovers when the database does', async () => {
    let now = 1_000_000;
    let failing = true;
    let opens = 0;
    const logger = recordingLogger();
    const url = databaseUrl(await tempDir());
    const store = new QuestionStore({
      connect: async () => {
        opens++;
        if (failing) throw new Error('SQLITE_CANTOPEN: unable to open database file');
        return openLibsqlDatabase(url);
      },
      logger,
      recording: true,
      retentionDays: 90,
      writes: 'queue',
      now: () => now,
    });
    for (let i = 0; i < 5; i++) {
      expect(() => store.record(questionRecord())).not.toThrow();
      await store.flush();
      now += 5_000;
    }
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]!.fields).toMatchObject({ lostRecords: 1, err: expect.stringContaining('SQLITE_CANTOPEN') });
    await expect(store.saveFeedback({ answerId: 'x', rating: 'up' })).rejects.toBeInstanceOf(StorageUnavailableError);

    now += STORE_DEFAULTS.errorLogIntervalMs;
    store.record(questionRecord());
    await store.flush();
    expect(logger.errors).toHaveLength(2);
    expect(logger.errors[1]!.fields).toMatchObject({ similarErrorsSinceLastLog: 5 });

    failing = false;
    // Within reconnectDelayMs of a failed open, nothing tries to open it again.
    const opensBefore = opens;
    store.record(questionRecord());
    await store.flush();
    expect(opens).toBe(opensBefore);
    now += STORE_DEFAULTS.reconnectDelayMs;
    const kept = questionRecord();
    store.record(kept);
    await store.flush();
    expect(await store.saveFeedback({ answerId: kept.id, rating: 'up' })).toBe(true);
    expect(logger.errors).toHaveLength(2);
  });

  it('drops records beyond the bounded queue rather than buffering without limit', async () => {
    const logger = recordingLogger();
    let written = 0;
    const store = new QuestionStore({
      connect: async () => ({
        execute: async () => [],
        batch: async (statements) => void (written += statements.length ? 1 : 0),
      }),
      logger,
      recording: true,
      retentionDays: 90,
      writes: 'queue',
    });
    for (let i = 0; i < STORE_DEFAULTS.maxPending + 10; i++) store.record(questionRecord());
    expect(logger.errors[0]?.fields.err).toContain('write queue is full');
    await store.flush();
  });

  it('is reported as unavailable when another connection holds the write lock', async () => {
    const url = databaseUrl(await tempDir());
    const { store, opened } = fileStore(url);
    await store.start();
    const holder = createClient({ url });
    // A write transaction in another connection (another process, say) holds the write lock.
    const transaction = await holder.transaction('write');
    try {
      const asked = questionRecord();
      store.record(asked);
      await store.flush();
      await expect(store.saveFeedback({ answerId: asked.id, rating: 'up' })).rejects.toBeInstanceOf(
        StorageUnavailableError,
      );
    } finally {
      await transaction.rollback();
      holder.close();
    }
    opened.forEach((db) => db.close());
  });
});

describe('the question store on the database thread (as node.ts opens it)', () => {
  const tempDir = useTempDirs('atg-store-thread-');
  const threadStore = (url: string, logger = recordingLogger()) => {
    const opened: Array<{ close(): void }> = [];
    const store = new QuestionStore({
      connect: async () => {
        const db = await openDatabaseThread(url);
        opened.push(db);
        return db;
      },
      logger,
      recording: true,
      retentionDays: 90,
      writes: 'queue',
    });
    return { store, close: () => opened.forEach((db) => db.close()) };
  };

  it('queues records to the thread, those recorded before it opened included; a read sees them all', async () => {
    const url = databaseUrl(await tempDir());
    const { store, close } = threadStore(url);
    const early = questionRecord({ question: 'Before the database opened?', outcome: 'none' });
    store.record(early);
    await store.start();
    const later = questionRecord();
    store.record(later);
    expect(await store.saveFeedback({ answerId: later.id, rating: 'down', comment: 'Too long' })).toBe(true);
    const summary = await store.read(readSummary);
    expect(summary).toMatchObject({ questions: 2, feedback: { up: 0, down: 1 } });
    expect(summary.unanswered).toEqual([expect.objectContaining({ question: early.question })]);
    close();
  });

  it('logs records the thread could not write, with their count', async () => {
    const logger = recordingLogger();
    const dir = await tempDir();
    const { store, close } = threadStore(databaseUrl(dir), logger);
    await store.start();
    store.record(questionRecord());
    await store.read((db) => db.execute('SELECT 1'));
    const unblock = await blockStagingFile(dir);
    store.record(questionRecord());
    store.record(questionRecord());
    store.record(questionRecord());
    await store.flush();
    expect(logger.errors).toEqual([
      expect.objectContaining({
        fields: expect.objectContaining({ lostRecords: 3, err: expect.stringContaining('EISDIR') }),
      }),
    ]);
    await unblock();
    close();
  });

  it('drops a record its queue has no room for, and says so', async () => {
    const logger = recordingLogger();
    const store = new QuestionStore({
      connect: async () => ({
        execute: async () => [],
        batch: async () => {},
        queueQuestion: () => false,
        drainQueue: async () => {},
        onQueueFailure: () => {},
      }),
      logger,
      recording: true,
      retentionDays: 90,
      writes: 'queue',
    });
    await store.start();
    store.record(questionRecord());
    expect(logger.errors[0]?.fields).toMatchObject({
      err: expect.stringContaining('write queue is full'),
      droppedWhileQueueFull: 1,
    });
  });
});

describe('migration files', () => {
  it('split into statements at semicolons that end a line, comments dropped', () => {
    expect(
      splitStatements(
        "-- a comment; still a comment\nCREATE TABLE a (x TEXT DEFAULT ';');\nCREATE INDEX i ON a (x);\n",
      ),
    ).toEqual(["CREATE TABLE a (x TEXT DEFAULT ';')", 'CREATE INDEX i ON a (x)']);
  });

  it('apply once: opening a migrated database again changes nothing', async () => {
    const dir = await useTempDirsOnce()();
    const url = databaseUrl(dir);
    (await openLibsqlDatabase(url)).close();
    const db = await openLibsqlDatabase(url);
    expect((await db.execute('SELECT count(*) AS n FROM d1_migrations'))[0]!.n).toBe(3);
    db.close();
  });

  it('0002 converts citations recorded as an array of { document, section } to the compact shape', async () => {
    const dir = await useTempDirsOnce()();
    const url = databaseUrl(dir);
    const migrations = await readMigrations(MIGRATIONS_DIR);
    const old = await openLibsqlDatabase(url, await migrationsDir(dir, migrations.slice(0, 1)));
    const insert = (id: string, citations: string) =>
      old.execute(
        `INSERT INTO questions (id, asked_at, question, question_key, outcome, mode, latency_ms, generation, citations)
         VALUES (?, ?, 'q', 'q', 'answered', 'extractive', 1, 'g', ?)`,
        [id, Date.now(), citations],
      );
    await insert(
      'a',
      JSON.stringify([
        { document: 'guide', section: 'Why' },
        { document: 'notes', section: 'One' },
        { document: 'guide', section: 'How' },
      ]),
    );
    await insert('b', '[]');
    // Entries without a text document or section, and a value that is not JSON at all.
    await insert(
      'c',
      JSON.stringify([
        { section: 'Lost' },
        { document: null, section: 'X' },
        'text',
        { document: 'guide', section: 'Kept' },
      ]),
    );
    await insert('d', 'not json');
    old.close();

    const db = await openLibsqlDatabase(url);
    const rows = await db.execute('SELECT id, citations FROM questions ORDER BY id');
    // Documents and sections in citation order, as the text is stored.
    expect(rows.map((row) => [row.id, row.citations])).toEqual([
      ['a', '{"guide":["Why","How"],"notes":["One"]}'],
      ['b', '{}'],
      ['c', '{"guide":["Kept"]}'],
      ['d', '{}'],
    ]);
    expect((await readSummary(db)).topSections).toEqual([
      { document: 'guide', section: 'How', count: 1 },
      { document: 'guide', section: 'Kept', count: 1 },
      { document: 'guide', section: 'Why', count: 1 },
      { document: 'notes', section: 'One', count: 1 },
    ]);
    db.close();
  });

  it('reads rows in the array shape too (written by a server not yet updated), in the summary and the export', async () => {
    const url = databaseUrl(await useTempDirsOnce()());
    const db = await openLibsqlDatabase(url);
    await db.execute(
      `INSERT INTO questions (id, asked_at, question, question_key, outcome, mode, latency_ms, generation, citations)
       VALUES ('old', ?, 'q', 'q', 'answered', 'extractive', 1, 'g', ?), ('new', ?, 'q', 'q', 'answered', 'extractive', 1, 'g', ?)`,
      [
        Date.now(),
        JSON.stringify([{ document: 'guide', section: 'Why' }]),
        Date.now(),
        citedSectionsJson([{ document: 'guide', section: 'Why' }]),
      ],
    );
    expect((await readSummary(db)).topSections).toEqual([{ document: 'guide', section: 'Why', count: 2 }]);
    expect((await readAllQuestions(db)).map((q) => q.sections)).toEqual(['guide § Why', 'guide § Why']);
    db.close();
  });
});

/** A migrations folder in `dir` holding only `migrations`. */
async function migrationsDir(dir: string, migrations: Migration[]): Promise<string> {
  const folder = join(dir, 'migrations');
  await mkdir(folder);
  await Promise.all(migrations.map((m) => writeFile(join(folder, m.name), m.sql)));
  return folder;
}

function useTempDirsOnce() {
  return useTempDirs('atg-store-migrate-');
}
