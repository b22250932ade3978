import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../browser/helpers/server.ts';
import { askRequest } from '../helpers/ask-request.ts';

/**
 * The Node server with RECORD_QUESTIONS=false: it answers, writes nothing, and does not even
 * open the database (nor start its thread) until the dashboard reads it.
 */

let server: RunningServer | undefined;
afterAll(async () => server?.stop());

describe('RECORD_QUESTIONS=false on the Node server', () => {
  it('answers without creating the database file', { timeout: 60_000 }, async () => {
    server = await startServer({ RECORD_QUESTIONS: 'false' });
    const res = await fetch(`${server.url}/ask`, askRequest({ question: 'How do I move from sales into product?' }));
    expect(res.status).toBe(200);
    expect(existsSync(fileURLToPath(server.databaseUrl))).toBe(false);
  });
});
