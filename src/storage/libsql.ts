/**
 * The Node side of the database: a libSQL client (an embedded SQLite file for `file:` URLs, a
 * libSQL server for `libsql:`/`https:` ones), migrated at open. Node only: the Worker uses D1.
 */
import { createClient, type Client, type InValue } from '@libsql/client';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';
import { applyMigrations, type Migration } from './migrations.ts';
import { moveStagedQuestions } from './question-log.ts';
import {
  STAGING_DEFAULTS,
  tableStage,
  withStagedRecording,
  type StagingDatabase,
  type StagingOptions,
} from './staged-questions.ts';
import { moveLeftoverStagingFiles, openStagingFile } from './staging-file.ts';

export interface LibsqlDatabase extends Database {
  close(): void;
}

/**
 * Open (creating its folder and file when needed) and migrate the database at `url`. Recorded
 * questions are staged under load, in a file beside a local database (staging-file.ts), and
 * moved into place when it pauses (staged-questions.ts).
 * Throws when it cannot be opened or migrated; callers decide whether that is fatal.
 */
export async function openLibsqlDatabase(
  url: string,
  migrationsDir = MIGRATIONS_DIR,
  staging: StagingOptions = STAGING_DEFAULTS,
): Promise<StagingDatabase> {
  const path = filePath(url);
  if (path) await mkdir(dirname(path), { recursive: true });
  // One connection: writes are queued by the app anyway, and per-connection settings
  // (synchronous) then hold for every statement.
  const connect = async (): Promise<Client> => {
    const client = createClient({ url, concurrency: 1 });
    try {
      if (path) {
        // WAL: readers (the dashboard, npm run report) never block the writer; NORMAL: a commit
        // does not wait for fsync, which the driver would otherwise do on its calling thread.
        await client.execute('PRAGMA journal_mode = WAL');
        await client.execute('PRAGMA synchronous = NORMAL');
        // The WAL is checkpointed after each move of staged lines (PASSIVE: it never waits for a
        // reader) and by SQLite when the connection closes, not by whichever commit finds it
        // past 1000 pages.
        await client.execute('PRAGMA wal_autocheckpoint = 0');
      }
      return client;
    } catch (error) {
      client.close();
      throw error;
    }
  };
  const db = wrap(await connect(), connect);
  try {
    await applyMigrations(db, await readMigrations(migrationsDir));
    // Lines a stopped server left staged: in the table (when the migrations given include it:
    // the tests of an upgrade open a database with the first migrations alone), and in files.
    if ((await db.execute("SELECT 1 FROM sqlite_schema WHERE name = 'question_batches'")).length)
      await db.batch(moveStagedQuestions());
    if (!path) return withStagedRecording(db, tableStage(db), staging);
    await moveLeftoverStagingFiles(db, path);
    const checkpoint = () => db.execute('PRAGMA wal_checkpoint(PASSIVE)').then(() => {});
    return withStagedRecording(db, openStagingFile(db, path), staging, checkpoint);
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The Database surface over a libSQL client. A statement that fails because another process
 * holds the file (SQLITE_BUSY, SQLITE_LOCKED) leaves the driver's connection unable to commit
 * ever again ("cannot commit transaction - SQL statements in progress"), so the client is
 * replaced after one: the lock is another process's to release, and writes go on once it is.
 */
function wrap(first: Client, connect: () => Promise<Client>): LibsqlDatabase {
  let client: Client | null = first;
  let connecting: Promise<Client> | null = null;
  let closed = false;
  const live = async (): Promise<Client> => {
    if (closed) throw new Error('the database is closed');
    if (client) return client;
    // One new connection, shared by every statement waiting for it; one that fails to open is
    // tried again by the next statement.
    connecting ??= connect().finally(() => (connecting = null));
    const opened = await connecting;
    if (closed) opened.close();
    else client ??= opened;
    return live();
  };
  const recovering = async <T>(run: (client: Client) => Promise<T>): Promise<T> => {
    const current = await live();
    try {
      return await run(current);
    } catch (error) {
      if (isLockError(error) && client === current) {
        client = null;
        current.close();
      }
      throw error;
    }
  };
  return {
    execute: (sql, args = []) =>
      recovering(async (current) => {
        const result = await current.execute({ sql, args: args as InValue[] });
        // Rows as plain objects (libSQL's rows are array-like objects with named keys too).
        return result.rows.map((row) => Object.fromEntries(result.columns.map((name, i) => [name, row[i] as never])));
      }),
    batch: async (statements) => {
      if (statements.length)
        await recovering((current) =>
          current.batch(
            statements.map(({ sql, args = [] }) => ({ sql, args: args as InValue[] })),
            'write',
          ),
        );
    },
    close: () => {
      closed = true;
      client?.close();
    },
  };
}

function isLockError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/** The file behind a `file:` URL (relative to the working directory), or null for a server URL. */
function filePath(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const rest = url.slice('file:'.length).split('?')[0]!;
  if (!rest || rest === ':memory:') return null;
  return resolve(rest.startsWith('//') ? fileURLToPath(url.split('?')[0]!) : rest);
}

/**
 * migrations/ at the project root, found from this module rather than assumed, because it
 * also runs bundled into dist/server (see scripts/start.mjs).
 */
export const MIGRATIONS_DIR = join(findRoot(dirname(fileURLToPath(import.meta.url))), 'migrations');

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** The numbered .sql files of a migrations folder, as wrangler reads them. */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => /^\d+_.*\.sql$/.test(name)).sort();
  return Promise.all(names.map(async (name) => ({ name, sql: await readFile(join(dir, name), 'utf8') })));
}
