import { BoundedMap } from '../memo.ts';
import type { Support } from '../rag/types.ts';
import type { Database, Row, SqlStatement, SqlValue } from './database.ts';

/**
 * The SQL of recorded questions and feedback (tables in migrations/), the same on libSQL and
 * D1. Times are milliseconds since the epoch, UTC.
 */

/** One answered question as it is recorded: never an address or a key. */
export interface QuestionRecord {
  /** The answer's id (AskResponse.id), which feedback refers to. */
  id: string;
  askedAt: number;
  question: string;
  outcome: Support;
  mode: string;
  latencyMs: number;
  generation: string;
  /** The sections its citations came from, as citedSectionsJson writes them. */
  citedSections: string;
}

export interface CitedSection {
  document: string;
  section: string;
}

export type Rating = 'up' | 'down';

export interface Feedback {
  answerId: string;
  rating: Rating;
  comment?: string;
  ratedAt: number;
}

const DAY_MS = 86_400_000;
const QUESTION_COLUMNS = [
  'id',
  'asked_at',
  'question',
  'question_key',
  'outcome',
  'mode',
  'latency_ms',
  'generation',
  'citations',
];

/**
 * The text that groups repeats of one question: compatibility-normalised, lower case,
 * punctuation dropped, spaces collapsed ("What's  a PM?" and "whats a pm" are one).
 */
export function normaliseQuestion(question: string): string {
  return question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * One INSERT for a batch of records, handed over as a single JSON parameter that SQLite
 * unpacks with json_each: binding values one by one costs the driver far more than one
 * string does (and D1 binds at most 100 values per statement). An id recorded already is
 * kept as it is.
 */
export function insertQuestions(records: QuestionRecord[]): SqlStatement {
  return { sql: `${INSERT_ROWS} FROM json_each(?)`, args: [rowsJson(records)] };
}

/**
 * Records as question lines: each the JSON array of its values (in QUESTION_COLUMNS order) and
 * a newline. JSON never writes a raw newline, so the lines split cleanly wherever they travel
 * (text-ring.ts) and are counted by their newlines.
 */
export function questionLine(record: QuestionRecord): string {
  const { outcome, mode, generation, citedSections } = record;
  let repeated = repeatedParts.get(citedSections);
  if (!repeated || repeated.outcome !== outcome || repeated.mode !== mode || repeated.generation !== generation) {
    repeated = {
      outcome,
      mode,
      generation,
      middle: `,${JSON.stringify(outcome)},${JSON.stringify(mode)},`,
      end: `,${JSON.stringify(generation)},${JSON.stringify(citedSections)}]`,
    };
    repeatedParts.set(citedSections, repeated);
  }
  // Byte for byte JSON.stringify(questionValues(record)), in the same column order.
  const key = outcome === 'answered' ? '""' : JSON.stringify(normaliseQuestion(record.question));
  return `[${JSON.stringify(record.id)},${jsonNumber(record.askedAt)},${JSON.stringify(record.question)},${key}${repeated.middle}${jsonNumber(roundedLatency(record.latencyMs))}${repeated.end}`;
}

/**
 * The JSON of the values an answer repeats each time it is served from the cache (its outcome,
 * mode, generation and cited sections), kept per cited-sections string: a cached answer's
 * record costs the JSON of its id, time, question and latency alone. Bounded, since
 * uncached answers bring new strings.
 */
const repeatedParts = new BoundedMap<
  string,
  { outcome: string; mode: string; generation: string; middle: string; end: string }
>(1000);

function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

function roundedLatency(latencyMs: number): number {
  return Math.round(latencyMs * 100) / 100;
}

export function questionLines(records: QuestionRecord[]): string {
  let lines = '';
  for (const record of records) lines += `${questionLine(record)}\n`;
  return lines;
}

/**
 * Question lines, UTF-8 encoded, kept as they are: one row of `question_batches` (a database
 * with no local file), to be moved into `questions` later by moveStagedQuestions.
 */
export function stageQuestionLines(lines: Uint8Array): SqlStatement {
  return { sql: 'INSERT INTO question_batches (lines) VALUES (?)', args: [lines] };
}

/** Move every staged batch into `questions`; run in one transaction (Database.batch). */
export function moveStagedQuestions(): SqlStatement[] {
  return [
    { sql: `${INSERT_ROWS} FROM question_batches, json_each(${linesAsRows('question_batches.lines')})` },
    { sql: 'DELETE FROM question_batches' },
  ];
}

/** Insert question lines (UTF-8, as a staging file holds them) into `questions`. */
export function insertQuestionLines(lines: Uint8Array): SqlStatement {
  return { sql: `${INSERT_ROWS} FROM json_each(${linesAsRows('?')})`, args: [lines] };
}

/** SQL of question lines (a BLOB or text) as one JSON array of rows: each newline but the last becomes a comma. */
const linesAsRows = (lines: string) => `'[' || replace(rtrim(CAST(${lines} AS TEXT), char(10)), char(10), ',') || ']'`;

/** The INSERT of rows as rowsJson writes them, each a json_each `value`, up to its FROM. */
const INSERT_ROWS = `INSERT OR IGNORE INTO questions (${QUESTION_COLUMNS.join(', ')})
  SELECT ${QUESTION_COLUMNS.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ')}`;

/** Records as one JSON array of rows, each an array of the values of QUESTION_COLUMNS. */
function rowsJson(records: QuestionRecord[]): string {
  return JSON.stringify(records.map(questionValues));
}

/**
 * A database that writes recorded questions its own way: the SQLite database on Node, which
 * stages them (staged-questions.ts) instead of inserting each row at once.
 */
export interface QuestionWriter {
  recordQuestions(records: QuestionRecord[]): Promise<void>;
  /** Hear about records it kept but could not yet put in place (staged-questions.ts). */
  onMoveFailure?(listener: (error: unknown) => void): void;
}

/** Records queued for a database's own thread to write, without waiting (database-thread.ts). */
export interface QuestionQueue {
  /** Queue a record; false (and nothing queued) when the queue is full. Never throws. */
  queueQuestion(record: QuestionRecord): boolean;
  /**
   * Resolves when everything queued before the call is written, or its failure reported to
   * the onQueueFailure listener; rejects when the thread cannot be reached.
   */
  drainQueue(): Promise<void>;
  /** Hear about records the thread took from the queue but could not write. */
  onQueueFailure(listener: (error: Error, lostRecords: number) => void): void;
}

/** Write recorded questions in one transaction, by the database's own writer when it has one. */
export function writeQuestions(db: Database & Partial<QuestionWriter>, records: QuestionRecord[]): Promise<void> {
  return db.recordQuestions ? db.recordQuestions(records) : db.batch([insertQuestions(records)]);
}

function questionValues(r: QuestionRecord): SqlValue[] {
  return [
    r.id,
    r.askedAt,
    r.question,
    // Only unanswered questions are grouped (readSummary), so only they need the key.
    r.outcome === 'answered' ? '' : normaliseQuestion(r.question),
    r.outcome,
    r.mode,
    roundedLatency(r.latencyMs),
    r.generation,
    r.citedSections,
  ];
}

/**
 * The `citations` column: a JSON object from each cited document to its cited sections, each
 * once, in citation order (`{"guide":["Why PM","First steps"]}`). Each document's name is
 * written once, because the bytes of a row are most of what recording it costs.
 */
export function citedSectionsJson(citations: readonly CitedSection[]): string {
  const byDocument = new Map<string, string[]>();
  for (const { document, section } of citations) {
    const sections = byDocument.get(document);
    if (!sections) byDocument.set(document, [section]);
    else if (!sections.includes(section)) sections.push(section);
  }
  return JSON.stringify(Object.fromEntries(byDocument));
}

/**
 * Save (or replace) the rating of a recorded answer. Returns false when no answer with that id
 * was recorded, in which case nothing is written.
 */
export async function saveFeedback(db: Database, f: Feedback): Promise<boolean> {
  const rows = await db.execute(
    `INSERT INTO feedback (answer_id, rating, comment, rated_at)
     SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM questions WHERE id = ?)
     ON CONFLICT (answer_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, rated_at = excluded.rated_at
     RETURNING answer_id`,
    [f.answerId, f.rating, f.comment ?? null, f.ratedAt, f.answerId],
  );
  return rows.length > 0;
}

/** Statements that delete questions asked before `cutoff`, and their feedback. */
export function deleteOlderThan(cutoff: number): SqlStatement[] {
  return [
    { sql: 'DELETE FROM feedback WHERE answer_id IN (SELECT id FROM questions WHERE asked_at < ?)', args: [cutoff] },
    { sql: 'DELETE FROM questions WHERE asked_at < ?', args: [cutoff] },
  ];
}

/** The owner's summary: GET /admin/api/summary, the dashboard and `npm run report`. */
export interface Summary {
  questions: number;
  outcomes: Record<Support, number>;
  feedback: Record<Rating, number>;
  unanswered: Array<{ question: string; count: number; lastAsked: string }>;
  topSections: Array<{ document: string; section: string; count: number }>;
}

export async function readSummary(db: Database, limit = 20): Promise<Summary> {
  const [totals, ratings, unanswered, sections] = await Promise.all([
    db.execute(
      `SELECT count(*) AS questions, sum(outcome = 'answered') AS answered, sum(outcome = 'related') AS related,
       sum(outcome = 'none') AS none FROM questions`,
    ),
    db.execute(`SELECT sum(rating = 'up') AS up, sum(rating = 'down') AS down FROM feedback`),
    // SQLite takes a bare column (question) from the row that gave max(): the latest wording.
    db.execute(
      `SELECT question, count(*) AS count, max(asked_at) AS last_asked FROM questions
       WHERE outcome IN ('related', 'none') GROUP BY question_key ORDER BY count DESC, last_asked DESC LIMIT ?`,
      [limit],
    ),
    // Both shapes of `citations` (see parseCitations): one row per answer and cited section.
    db.execute(
      `SELECT document, section, count(*) AS count FROM (
         SELECT d.key AS document, s.value AS section
         FROM questions AS q, json_each(q.citations) AS d, json_each(d.value) AS s
         WHERE json_type(q.citations) = 'object'
         UNION ALL
         SELECT json_extract(c.value, '$.document'), json_extract(c.value, '$.section')
         FROM questions AS q, json_each(q.citations) AS c
         WHERE json_type(q.citations) = 'array'
       ) GROUP BY document, section ORDER BY count DESC, document, section LIMIT ?`,
      [limit],
    ),
  ]);
  const t = totals[0] ?? {};
  const r = ratings[0] ?? {};
  return {
    questions: num(t.questions),
    outcomes: { answered: num(t.answered), related: num(t.related), none: num(t.none) },
    feedback: { up: num(r.up), down: num(r.down) },
    unanswered: unanswered.map((row) => ({
      question: str(row.question),
      count: num(row.count),
      lastAsked: iso(row.last_asked),
    })),
    topSections: sections.map((row) => ({
      document: str(row.document),
      section: str(row.section),
      count: num(row.count),
    })),
  };
}

/** Questions per UTC day over the `days` days up to `now`, oldest first, days with none included. */
export async function readQuestionsPerDay(
  db: Database,
  days: number,
  now: number,
): Promise<Array<{ day: string; count: number }>> {
  const firstDay = Math.floor(now / DAY_MS) - days + 1;
  const rows = await db.execute(
    'SELECT asked_at / 86400000 AS day, count(*) AS count FROM questions WHERE asked_at >= ? GROUP BY day',
    [firstDay * DAY_MS],
  );
  const counts = new Map(rows.map((row) => [Math.floor(num(row.day)), num(row.count)]));
  return Array.from({ length: days }, (_, i) => ({
    day: new Date((firstDay + i) * DAY_MS).toISOString().slice(0, 10),
    count: counts.get(firstDay + i) ?? 0,
  }));
}

export interface RatedAnswer {
  id: string;
  question: string;
  outcome: Support;
  comment: string | null;
  ratedAt: string;
  citations: CitedSection[];
}

/** The latest thumbs-down answers with their question, comment and cited sections. */
export async function readThumbsDown(db: Database, limit = 20): Promise<RatedAnswer[]> {
  const rows = await db.execute(
    `SELECT q.id, q.question, q.outcome, q.citations, f.comment, f.rated_at FROM feedback AS f
     JOIN questions AS q ON q.id = f.answer_id WHERE f.rating = 'down' ORDER BY f.rated_at DESC LIMIT ?`,
    [limit],
  );
  return rows.map((row) => ({
    id: str(row.id),
    question: str(row.question),
    outcome: str(row.outcome) as Support,
    comment: row.comment === null ? null : str(row.comment),
    ratedAt: iso(row.rated_at),
    citations: parseCitations(row.citations),
  }));
}

/** Every recorded question with its rating, oldest first, for the CSV export. */
export interface ExportedQuestion {
  askedAt: string;
  question: string;
  outcome: string;
  mode: string;
  latencyMs: number;
  generation: string;
  sections: string;
  rating: string;
  comment: string;
  id: string;
}

export async function readAllQuestions(db: Database): Promise<ExportedQuestion[]> {
  const rows = await db.execute(
    `SELECT q.*, f.rating, f.comment FROM questions AS q LEFT JOIN feedback AS f ON f.answer_id = q.id
     ORDER BY q.asked_at, q.id`,
  );
  return rows.map((row: Row) => ({
    askedAt: iso(row.asked_at),
    question: str(row.question),
    outcome: str(row.outcome),
    mode: str(row.mode),
    latencyMs: num(row.latency_ms),
    generation: str(row.generation),
    sections: parseCitations(row.citations)
      .map((c) => `${c.document} § ${c.section}`)
      .join('; '),
    rating: row.rating === null ? '' : str(row.rating),
    comment: row.comment === null ? '' : str(row.comment),
    id: str(row.id),
  }));
}

/**
 * The `citations` column back as sections: the shape citedSectionsJson writes, or the array of
 * { document, section } that rows written before migration 0002 had (a server not yet updated
 * may still write it). Anything malformed is skipped.
 */
function parseCitations(value: SqlValue | undefined): CitedSection[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(str(value));
  } catch {
    return [];
  }
  if (Array.isArray(parsed))
    return parsed.filter((c): c is CitedSection => typeof c?.document === 'string' && typeof c?.section === 'string');
  if (typeof parsed !== 'object' || parsed === null) return [];
  return Object.entries(parsed).flatMap(([document, sections]) =>
    Array.isArray(sections)
      ? sections.filter((s): s is string => typeof s === 'string').map((section) => ({ document, section }))
      : [],
  );
}

const num = (v: SqlValue | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const str = (v: SqlValue | undefined): string => (v === null || v === undefined ? '' : String(v));
const iso = (v: SqlValue | undefined): string => new Date(num(v)).toISOString();
