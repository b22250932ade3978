import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../../src/logger.ts';
import { openLibsqlDatabase, type LibsqlDatabase } from '../../src/storage/libsql.ts';
import { citedSectionsJson, type QuestionRecord } from '../../src/storage/question-log.ts';
import { QuestionStore, type QuestionStoreOptions } from '../../src/storage/question-store.ts';
import { stagingFilesOf } from '../../src/storage/staging-file.ts';

/** The `file:` URL of a database file in `dir`. */
export const databaseUrl = (dir: string, name = 'questions.db'): string => pathToFileURL(join(dir, name)).href;

/**
 * A Node question store on a real SQLite file (libSQL, migrated), as node.ts builds it, and the
 * databases it opened so the test can close them.
 */
export function fileStore(
  url: string,
  options: Partial<QuestionStoreOptions> = {},
): { store: QuestionStore; opened: LibsqlDatabase[] } {
  const opened: LibsqlDatabase[] = [];
  const store = new QuestionStore({
    connect: async () => {
      const db = await openLibsqlDatabase(url);
      opened.push(db);
      return db;
    },
    logger: recordingLogger(),
    recording: true,
    retentionDays: 90,
    writes: 'queue',
    ...options,
  });
  return { store, opened };
}

/** A Logger that keeps what it was given. */
export function recordingLogger(): Logger & { errors: Array<{ fields: Record<string, unknown>; message?: string }> } {
  const errors: Array<{ fields: Record<string, unknown>; message?: string }> = [];
  return {
    debug() {},
    info() {},
    warn() {},
    error: (fields, message) => void errors.push({ fields, message }),
    errors,
  };
}

let counter = 0;

/** A recorded question with plausible values; `overrides` wins. */
export function questionRecord(overrides: Partial<QuestionRecord> = {}): QuestionRecord {
  counter++;
  return {
    id: `answer-${counter}-${Math.random().toString(36).slice(2)}`,
    askedAt: Date.now(),
    question: 'How do I move from sales into product?',
    outcome: 'answered',
    mode: 'extractive',
    latencyMs: 1.5,
    generation: 'g1',
    citedSections: citedSectionsJson([
      { document: 'transition-product-management-background', section: 'Moving from Sales to Product Management' },
    ]),
    ...overrides,
  };
}

/** The staging files (src/storage/staging-file.ts) of the database `name` in `dir`, by name. */
export async function stagingFiles(dir: string, name = 'questions.db'): Promise<string[]> {
  return stagingFilesOf(join(dir, name))
    .map(({ path }) => basename(path))
    .sort();
}

/** How many question lines wait in the staging files of the database `name` in `dir`. */
export async function stagedLineCount(dir: string, name = 'questions.db'): Promise<number> {
  let count = 0;
  for (const { path } of stagingFilesOf(join(dir, name)))
    count += (await readFile(path, 'utf8')).split('\n').length - 1;
  return count;
}

/**
 * Make the one staging file in `dir` unwritable, by putting a folder in its place (root writes
 * through file modes). Call once the file exists and its lines are moved; returns the undo.
 */
export async function blockStagingFile(dir: string): Promise<() => Promise<void>> {
  const [name, ...others] = await stagingFiles(dir);
  if (!name || others.length) throw new Error(`expected one staging file in ${dir}`);
  const path = join(dir, name);
  await rm(path);
  await mkdir(path);
  return () => rm(path, { recursive: true });
}
