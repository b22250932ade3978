/**
 * npm run report [-- --json]
 *
 * The owner's summary in the terminal, for owners who never open /admin: the same figures as
 * GET /admin/api/summary, read from DATABASE_URL (default file:data/ask-the-guide.db).
 * Exits 1 with one line when the database cannot be read.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { openLibsqlDatabase } from '../src/storage/libsql.ts';
import { readSummary, type Summary } from '../src/storage/question-log.ts';

const { values: opts } = parseArgs({ options: { json: { type: 'boolean', default: false } } });

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const file = config.DATABASE_URL.startsWith('file:') ? config.DATABASE_URL.slice('file:'.length) : null;
  if (file && !file.startsWith('//') && !existsSync(file)) {
    throw new ConfigError(`no database at ${file} yet: start the server and ask a question, or set DATABASE_URL`);
  }
  const db = await openLibsqlDatabase(config.DATABASE_URL);
  try {
    const summary = await readSummary(db);
    console.log(opts.json ? JSON.stringify(summary) : formatSummary(summary, config.RETENTION_DAYS));
  } finally {
    db.close();
  }
}

/** The summary as plain-text tables (no colours: it may go to a file or an e-mail). */
function formatSummary(s: Summary, retentionDays: number): string {
  const total = s.outcomes.answered + s.outcomes.related + s.outcomes.none;
  const ratings = s.feedback.up + s.feedback.down;
  const share = (n: number, of: number) => (of ? `${Math.round((n / of) * 100)}%` : '-');
  const out: string[] = [];
  out.push(`Ask the Guide: questions recorded (last ${retentionDays} days)`, '');
  out.push(
    table(
      ['', 'count', 'share'],
      [
        ['Questions', String(s.questions), ''],
        ['Answered', String(s.outcomes.answered), share(s.outcomes.answered, total)],
        ['Related only', String(s.outcomes.related), share(s.outcomes.related, total)],
        ['Not covered', String(s.outcomes.none), share(s.outcomes.none, total)],
        ['Thumbs up', String(s.feedback.up), share(s.feedback.up, ratings)],
        ['Thumbs down', String(s.feedback.down), share(s.feedback.down, ratings)],
      ],
    ),
  );
  out.push('', 'Questions the guide could not answer', '');
  out.push(
    s.unanswered.length
      ? table(
          ['question', 'times', 'last asked (UTC)'],
          s.unanswered.map((u) => [clip(u.question, 70), String(u.count), u.lastAsked.slice(0, 16).replace('T', ' ')]),
        )
      : '  (none)',
  );
  out.push('', 'Most-cited sections', '');
  out.push(
    s.topSections.length
      ? table(
          ['section', 'document', 'cited'],
          s.topSections.map((t) => [clip(t.section, 50), clip(t.document, 40), String(t.count)]),
        )
      : '  (none)',
  );
  return out.join('\n');
}

/** Columns padded to their widest cell; numbers (every column but the first two) right-aligned. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = head.map((_, i) => i > 0 && rows.every((r) => /^[\d%-]*$/.test(r[i]!)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One line of at most `max` characters: readers' text may hold newlines or control characters. */
function clip(text: string, max: number): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : `could not read the database: ${(error as Error)?.message ?? String(error)}`;
  console.error(`error: ${message}`);
  process.exit(1);
});
