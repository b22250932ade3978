import type { Database } from './database.ts';

/** One numbered file of migrations/ (`0001_recorded_questions.sql`): its name and its SQL. */
export interface Migration {
  name: string;
  sql: string;
}

/**
 * The bookkeeping table `wrangler d1 migrations apply` keeps, in its own shape, so a database
 * tells the same story whichever tool migrated it.
 */
const CREATE_BOOKKEEPING = `CREATE TABLE IF NOT EXISTS d1_migrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

/**
 * Apply, in name order, the migrations not applied yet; each in one transaction with its
 * bookkeeping row, so a failed one leaves nothing half done. Returns the names applied.
 */
export async function applyMigrations(db: Database, migrations: Migration[]): Promise<string[]> {
  await db.execute(CREATE_BOOKKEEPING);
  const done = new Set((await db.execute('SELECT name FROM d1_migrations')).map((row) => String(row.name)));
  const applied: string[] = [];
  for (const migration of [...migrations].sort((a, b) => a.name.localeCompare(b.name))) {
    if (done.has(migration.name)) continue;
    await db.batch([
      ...splitStatements(migration.sql).map((sql) => ({ sql })),
      { sql: 'INSERT INTO d1_migrations (name) VALUES (?)', args: [migration.name] },
    ]);
    applied.push(migration.name);
  }
  return applied;
}

/**
 * The statements of a migration file: comment lines dropped, split at a semicolon that ends
 * a line. Enough for tables and indexes; a trigger body would need a real SQL tokenizer.
 */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;[ \t]*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter(Boolean);
}
