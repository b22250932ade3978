import type { LoadedIndex } from '../../src/index/loaded-index.ts';
import { sameStatement } from '../../src/rag/compose-answer.ts';
import type { Statement } from '../../src/rag/statements.ts';
import type { ComposedAnswer } from '../../src/rag/types.ts';

/** The `[n]` markers of an answer, in reading order. */
export function markersOf(answer: string): number[] {
  return [...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
}

/** The answer's words, markers and Markdown emphasis left out. */
export function wordCount(answer: string): number {
  return answer
    .replace(/\[\d+\]/g, ' ')
    .replace(/\*\*/g, ' ')
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

export interface QuotedStatement {
  statement: Statement;
  section: { document: string; anchor: string; heading: string; text: string; statements: Statement[] };
  /** Where the statement starts in the normalised answer. */
  at: number;
}

/**
 * The guide's statements an answer quotes (read back from the sections its citations name),
 * with where each stands in the answer, normalised as the composer compares statements.
 */
export function quotedStatements(
  index: LoadedIndex,
  response: ComposedAnswer,
): { normalised: string; quoted: QuotedStatement[] } {
  const normalised = sameStatement(response.answer);
  const quoted: QuotedStatement[] = [];
  const seen = new Set<string>();
  for (const citation of response.citations) {
    const key = `${citation.document}#${citation.anchor}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const section = index.statements.of(citation.document, citation.anchor);
    if (!section) throw new Error(`no section ${key}`);
    for (const statement of section.statements) {
      const at = normalised.indexOf(sameStatement(statement.text));
      if (at >= 0 && statement.words >= 3) quoted.push({ statement, section, at });
    }
  }
  return { normalised, quoted: quoted.sort((a, b) => a.at - b.at) };
}
