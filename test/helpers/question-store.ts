import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../../src/logger.ts';
import { openLibsqlDatabase, type LibsqlDatabase } from '../../src/storage/libsql.ts';
import { citedSectionsJson, type QuestionRecord } from '../../src/storage/question-log.ts';
import { QuestionStore, type QuestionStoreOptions } from '../../src/storage/question-store.ts';

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
