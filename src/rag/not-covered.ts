import type { LoadedIndex } from '../index/loaded-index.ts';
import type { ComposedAnswer } from './types.ts';

/**
 * The plain answer when the guide does not cover a question: say so, then say what it does
 * cover, every document by its title, so the reader knows what to ask instead. One document
 * is described by its number of sections and its first and last; several by their titles and
 * section counts, which stay short however many sections each has.
 */
export function composeNotCovered(index: Pick<LoadedIndex, 'documents' | 'chunks'>): string {
  const sections = sectionsByDocument(index);
  const described = [...index.documents.values()].map((doc) => ({
    title: doc.title,
    headings: sections.get(doc.id) ?? [],
  }));
  if (described.length === 1) {
    const { title, headings } = described[0]!;
    return `The guide doesn't cover that. It covers "${title}" (${sectionSpan(headings)}).`;
  }
  const parts = described.map(({ title, headings }) => `"${title}" (${count(headings.length)})`);
  return `The guide doesn't cover that. It covers ${described.length} documents: ${listOf(parts)}.`;
}

/**
 * Each document's section headings in order. The section under the title (the opening
 * before the first sub-heading) only introduces the document and is not counted, unless the
 * document has no other section (a text file without headings is one section).
 */
function sectionsByDocument(index: Pick<LoadedIndex, 'chunks'>): Map<string, string[]> {
  const below = new Map<string, string[]>();
  const top = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const chunk of index.chunks) {
    const key = `${chunk.document}#${chunk.anchor}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const into = chunk.headingPath.length > 1 ? below : top;
    into.set(chunk.document, [...(into.get(chunk.document) ?? []), chunk.section]);
  }
  for (const [document, headings] of top) if (!below.has(document)) below.set(document, headings);
  return below;
}

function sectionSpan(headings: string[]): string {
  if (headings.length < 2) return count(headings.length);
  return `${count(headings.length)}, from "${headings[0]}" to "${headings.at(-1)}"`;
}

const count = (n: number) => `${n} section${n === 1 ? '' : 's'}`;

function listOf(parts: string[]): string {
  return parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The whole response for a question the guide does not cover (its text composed when the index loads). */
export function notCoveredResponse(index: LoadedIndex, mode: ComposedAnswer['mode']): ComposedAnswer {
  return { answer: index.notCoveredAnswer, grounded: false, support: 'none', mode, citations: [] };
}
