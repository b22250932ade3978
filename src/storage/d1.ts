import type { Database, Row, SqlStatement, SqlValue } from './database.ts';

/** The part of Cloudflare's D1 binding (`[[d1_databases]]` in wrangler.toml) this app uses. */
export interface D1Binding {
  prepare(sql: string): D1PreparedStatement;
  batch(statements: D1PreparedStatement[]): Promise<unknown[]>;
}

export interface D1PreparedStatement {
  bind(...values: SqlValue[]): D1PreparedStatement;
  all(): Promise<{ results: unknown[] }>;
}

/** A Database over a D1 binding. D1 runs a batch as one transaction, as the interface asks. */
export function d1Database(binding: D1Binding): Database {
  const prepare = ({ sql, args = [] }: SqlStatement) => binding.prepare(sql).bind(...args);
  return {
    async execute(sql, args) {
      const { results } = await prepare({ sql, args }).all();
      return results as Row[];
    },
    async batch(statements) {
      if (statements.length) await binding.batch(statements.map(prepare));
    },
  };
}
