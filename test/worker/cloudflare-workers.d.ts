/**
 * The parts of workerd's `cloudflare:workers` module these tests use (the full types live in
 * @cloudflare/workers-types, which would clash with the DOM and Node types the project uses).
 */
declare module 'cloudflare:workers' {
  /** The bindings of the Worker under test (wrangler.toml plus the test config's miniflare options). */
  export const env: Record<string, unknown> & {
    OPENAI_CONTROL?: { fetch(input: string, init?: RequestInit): Promise<Response> };
  };
  /** The Worker's own exports; `default.fetch` goes through the whole Worker like a real request. */
  export const exports: { default: { fetch(input: Request | string, init?: RequestInit): Promise<Response> } };
}

/** The parts of the pool's `cloudflare:test` module these tests use. */
declare module 'cloudflare:test' {
  export function applyD1Migrations(db: unknown, migrations: unknown, migrationsTableName?: string): Promise<void>;
}
