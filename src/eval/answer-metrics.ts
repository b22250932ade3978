/**
 * What an answer says, measured from its Markdown alone: the statements it makes (each ends in
 * a `[n]` marker), whether they come from the sections that answer the question, whether one
 * leans on a sentence the answer left out, whether the answer opens with a bare list label, and
 * how much of a follow-up was already said. Only the public answer shape is read (Markdown plus
 * citations), so the measures hold whatever composes the answer.
 */
import { leaningOf, type Leaning, setsUpWhatFollows } from '../text/discourse.ts';

/** One cited statement of an answer. */
export interface Statement {
  /** Its text as a reader sees it: list markers, emphasis and `[n]` markers removed. */
  text: string;
  /** The citation ids its markers name, in order. */
  markers: number[];
  /** The answer line it is on (0-based). */
  line: number;
  /** Whether that line is a list item (`- ...`, `1. ...`). */
  listItem: boolean;
}

const MARKER = /\[(\d{1,3})\]/g;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/;
/** Closing punctuation written after a marker ("...room [1].") belongs to the statement before it. */
const STATEMENT_END = /(?:\s*\[\d{1,3}\])+[.!?,;:…"'”’)]*/g;

/**
 * The statements of a Markdown answer: on each line, the pieces that end in one or more `[n]`
 * markers. Text after a line's last marker (a group heading, an uncited sentence) is no
 * statement; no statement runs across a line break.
 */
export function statementsOf(answer: string): Statement[] {
  const out: Statement[] = [];
  answer.split('\n').forEach((rawLine, line) => {
    const listItem = LIST_ITEM.test(rawLine);
    let from = 0;
    for (const match of rawLine.matchAll(STATEMENT_END)) {
      const end = match.index + match[0].length;
      const piece = rawLine.slice(from, end);
      from = end;
      const text = plainText(piece);
      if (!text) continue;
      out.push({ text, markers: [...piece.matchAll(MARKER)].map((m) => Number(m[1])), line, listItem });
    }
  });
  return out;
}

/** A piece of answer Markdown as plain text: no list marker, emphasis or `[n]` markers. */
export function plainText(markdown: string): string {
  return markdown
    .replace(LIST_ITEM, '')
    .replace(/\*\*|__/g, '')
    .replace(/(^|\s)[*_](\S)/g, '$1$2')
    .replace(/(\S)[*_](?=\s|[.,;:!?]|$)/g, '$1')
    .replace(MARKER, '')
    .replace(/\s+([.,;:!?…])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Text compared loosely: case, typographic quotes, punctuation and spacing do not count. */
export function normalised(text: string): string {
  return text
    .toLowerCase()
    .replace(/[‘’`]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .trim();
}

/**
 * Citation precision of one answer: how many of its statements cite a section that answers the
 * question (a statement with several markers counts when any of them does).
 */
export function citedFromExpected(
  statements: readonly Statement[],
  sectionOf: (marker: number) => string | undefined,
  expected: readonly string[],
): { precise: number; total: number } {
  const precise = statements.filter((s) => s.markers.some((m) => expected.includes(sectionOf(m) ?? ''))).length;
  return { precise, total: statements.length };
}

/** A section of the guide as the eval reads it: its sentences in order, each knowing its block. */
export interface SourceSection {
  sentences: ReadonlyArray<{ text: string; block: number; inList: boolean }>;
}

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

function sentencesIn(text: string): string[] {
  return [...sentenceSegmenter.segment(text)].map((s) => s.segment.trim()).filter(Boolean);
}

/** A section from its blocks (paragraphs and list items) in order. */
export function sourceSection(blocks: ReadonlyArray<{ text: string; listItem?: boolean }>): SourceSection {
  const sentences: Array<{ text: string; block: number; inList: boolean }> = [];
  blocks.forEach((block, i) => {
    for (const text of sentencesIn(block.text)) sentences.push({ text, block: i, inList: block.listItem ?? false });
  });
  return { sentences };
}

/** A statement that leans on a sentence the answer does not give. */
export interface DanglingStatement {
  /** Index of the statement in the answer. */
  statement: number;
  /** The sentence that leans. */
  sentence: string;
  /** What it leans on: the sentence before, a list before, or (a hypothetical it sets up) the sentence after. */
  leaning: Exclude<Leaning, 'none'> | 'next';
  reason: string;
}

interface PlacedSentence {
  statement: number;
  text: string;
  section: SourceSection | undefined;
  /** Index in the section's sentences; -1 when not found there. */
  position: number;
}

/**
 * Statements that lean on a sentence the answer does not include (see leaningOf). A sentence
 * that leans on the one before it (`previous`) must follow, in the answer, the very sentence
 * that precedes it in its cited section; a hypothetical that sets up the next (`next`, see
 * setsUpWhatFollows) must be followed by it, and the sentence it sets up preceded by it. One
 * that points at the items of a list (`list`) must come after a list item line, or after an
 * item of that list quoted as text.
 * `sectionOf` gives the cited section of a statement (its first marker's), undefined if unknown.
 */
export function danglingStatements(
  statements: readonly Statement[],
  sectionOf: (statement: Statement) => SourceSection | undefined,
): DanglingStatement[] {
  const placed: PlacedSentence[] = [];
  statements.forEach((statement, index) => {
    const section = sectionOf(statement);
    let after = -1;
    for (const text of sentencesIn(statement.text)) {
      const position = section ? locate(section, text, after) : -1;
      if (position >= 0) after = position;
      placed.push({ statement: index, text, section, position });
    }
  });

  const out: DanglingStatement[] = [];
  placed.forEach((sentence, i) => {
    if (setsUpWhatFollows(sentence.text)) {
      const reason = missingNext(sentence, placed[i + 1]);
      if (reason) out.push({ statement: sentence.statement, sentence: sentence.text, leaning: 'next', reason });
    }
    // What a hypothetical sets up holds only within it ("It's recommended that you transfer to
    // a marketing role" after "let's say you're a digital marketer"): it leans on it too.
    const setUp =
      sentence.section && sentence.position > 0 ? sentence.section.sentences[sentence.position - 1] : undefined;
    const leaning =
      setUp && setUp.block === sentence.section!.sentences[sentence.position]!.block && setsUpWhatFollows(setUp.text)
        ? 'previous'
        : leaningOf(sentence.text);
    if (leaning === 'none') return;
    const reason =
      leaning === 'previous'
        ? missingPrevious(sentence, placed[i - 1])
        : missingList(sentence, placed.slice(0, i), statements);
    if (reason) out.push({ statement: sentence.statement, sentence: sentence.text, leaning, reason });
  });
  return out;
}

function missingPrevious(sentence: PlacedSentence, before: PlacedSentence | undefined): string | null {
  if (sentence.position < 0) return 'not found in its cited section, so what it leans on cannot be checked';
  if (!before) return 'opens the answer';
  if (before.section === sentence.section && before.position === sentence.position - 1) return null;
  return 'the sentence before it in the guide is not the one before it in the answer';
}

function missingNext(sentence: PlacedSentence, after: PlacedSentence | undefined): string | null {
  if (sentence.position < 0) return 'not found in its cited section, so what it sets up cannot be checked';
  if (!after) return 'ends the answer';
  if (after.section === sentence.section && after.position === sentence.position + 1) return null;
  return 'the sentence after it in the guide is not the one after it in the answer';
}

function missingList(
  sentence: PlacedSentence,
  earlier: PlacedSentence[],
  statements: readonly Statement[],
): string | null {
  const own = statements[sentence.statement]!;
  if (statements.some((s) => s.listItem && s.line < own.line)) return null;
  const section = sentence.section;
  const quotesItem = earlier.some(
    (e) =>
      section !== undefined &&
      e.section === section &&
      e.position >= 0 &&
      e.position < sentence.position &&
      section.sentences[e.position]!.inList,
  );
  return quotesItem ? null : 'no list item comes before it in the answer';
}

/** Where a sentence of the answer stands in its section: the first match after `after`, else any. */
function locate(section: SourceSection, text: string, after: number): number {
  const wanted = normalised(text);
  if (!wanted) return -1;
  const matches = (s: { text: string }) => {
    const source = normalised(s.text);
    return source === wanted || source.includes(wanted) || wanted.includes(source);
  };
  const exact = section.sentences.findIndex((s, i) => i > after && normalised(s.text) === wanted);
  if (exact >= 0) return exact;
  const later = section.sentences.findIndex((s, i) => i > after && matches(s));
  return later >= 0 ? later : section.sentences.findIndex(matches);
}

/** Group headings: an emphasis-only line ("**How to Pivot into Product Management**") or a Markdown heading. */
const HEADING_LINE = /^(?:(?:\*\*|__)[^*_]+(?:\*\*|__)|#{1,6}\s.*)$/;
/** "Label: text": a short label then a colon, with text after it on the same line. */
const LABELLED = /^([^:.!?[\]\n]{1,60}):\s+\S/;
const MAX_LABEL_WORDS = 5;

/**
 * Whether an answer opens with a list item's label but not as a list item: "Teacher: Crowd
 * control! ..." rather than "- **Teacher**: Crowd control! ...". A group heading before the
 * first line of text is skipped.
 */
export function opensWithBareLabel(answer: string): boolean {
  const first = answer
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line && !HEADING_LINE.test(line));
  if (!first || LIST_ITEM.test(first)) return false;
  const label = LABELLED.exec(plainText(first))?.[1]?.trim();
  return label !== undefined && label.split(/\s+/).length <= MAX_LABEL_WORDS;
}

/**
 * The follow-up statements already said earlier in the conversation: those whose normalised
 * text is one of the earlier statements, or part of one.
 */
export function repeatedStatements(followUp: readonly Statement[], earlier: readonly Statement[]): Statement[] {
  const said = earlier.map((s) => normalised(s.text)).filter(Boolean);
  return followUp.filter((s) => {
    const text = normalised(s.text);
    return text !== '' && said.some((e) => e === text || e.includes(text));
  });
}
