import type { ExportedQuestion } from '../../storage/question-log.ts';

const HEADER = [
  'asked_at',
  'question',
  'outcome',
  'mode',
  'latency_ms',
  'generation',
  'cited_sections',
  'rating',
  'comment',
  'answer_id',
];

/**
 * Recorded questions as CSV (RFC 4180, CRLF lines, a header row). Readers typed the text, so
 * a cell that a spreadsheet would run as a formula (starting with = + - @, or a tab or
 * carriage return before one) is prefixed with an apostrophe.
 */
export function questionsCsv(rows: ExportedQuestion[]): string {
  const lines = [HEADER.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.askedAt,
        r.question,
        r.outcome,
        r.mode,
        String(r.latencyMs),
        r.generation,
        r.sections,
        r.rating,
        r.comment,
        r.id,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
