/**
 * The one surface the app needs from a SQL database: libSQL on Node (src/storage/libsql.ts),
 * D1 on Workers (src/storage/d1.ts). Both speak SQLite, so the same SQL and the same
 * migrations run on either.
 */
/** A BLOB (Uint8Array) is written by Node alone (staged-questions.ts); D1 never gets one. */
export type SqlValue = string | number | null | Uint8Array;

export interface SqlStatement {
  sql: string;
  args?: SqlValue[];
}

export type Row = Record<string, SqlValue>;

export interface Database {
  /** Run one statement; its rows (none for a write without RETURNING). */
  execute(sql: string, args?: SqlValue[]): Promise<Row[]>;
  /** Run statements in one transaction: all of them, or none when one fails. */
  batch(statements: SqlStatement[]): Promise<void>;
}
