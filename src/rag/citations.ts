import type { StoredDocument } from '../index/loaded-index.ts';
import { withTextFragment } from './text-fragment.ts';
import type { Citation, Passage } from './types.ts';

/** A citation for a passage: where it lives, and the exact words quoted from its section. */
export function citationFor(
  passage: Passage,
  id: number,
  document: StoredDocument | undefined,
  quote: string = passage.chunk.text,
): Citation {
  const { chunk } = passage;
  return sectionCitation(
    { document: chunk.document, heading: chunk.section, anchor: chunk.anchor },
    id,
    document,
    quote,
    passage.score,
  );
}

/** A citation of words quoted from a section, scored by how well that section answers (in [0, 1]). */
export function sectionCitation(
  section: { document: string; heading: string; anchor: string },
  id: number,
  document: StoredDocument | undefined,
  quote: string,
  score: number,
): Citation {
  const url = `/source/${encodeURIComponent(section.document)}#${section.anchor}`;
  return {
    id,
    document: section.document,
    section: section.heading,
    anchor: section.anchor,
    url,
    // Into the original page at the quote (a text fragment); documents without a source_url
    // link to their rendered copy here.
    sourceUrl: document?.sourceUrl ? withTextFragment(document.sourceUrl, quote) : url,
    quote,
    score: Math.round(score * 1000) / 1000,
  };
}

const MARKER = /\[(\d{1,3})\]/g;

/**
 * Make an answer's markers honest: markers that point at no passage are dropped, the rest
 * are renumbered 1..n in order of first use, and only the passages referred to are kept.
 * `candidates[i]` is the passage the prompt numbered i + 1.
 */
export function repairMarkers<T>(answer: string, candidates: T[]): { answer: string; used: T[] } {
  const renumbered = new Map<number, number>();
  const used: T[] = [];
  const text = answer.replace(MARKER, (_match, digits: string) => {
    const n = Number(digits);
    if (n < 1 || n > candidates.length) return '';
    let id = renumbered.get(n);
    if (id === undefined) {
      id = used.length + 1;
      renumbered.set(n, id);
      used.push(candidates[n - 1]!);
    }
    return `[${id}]`;
  });
  return { answer: tidySpacing(text), used };
}

/** Spaces left where markers were removed: "word  ." becomes "word." */
export function tidySpacing(text: string): string {
  return text
    .replace(/[ \t]+([.,;:!?])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** Marker numbers used in an answer, in order of appearance. */
export function markersIn(answer: string): number[] {
  return [...answer.matchAll(MARKER)].map((m) => Number(m[1]));
}
