import type { LoadedIndex } from '../index/loaded-index.ts';
import { memoised } from '../memo.ts';
import type { ComposedAnswer } from './types.ts';

/**
 * The plain answer when the guide does not cover a question: say so, then say what it does
 * cover (its section headings), so the reader knows what to ask instead.
 */
function notCoveredAnswer(index: LoadedIndex): string {
  return memoised(answerByIndex, index, composeNotCovered);
}

/** The whole response for a question the guide does not cover. */
export function notCoveredResponse(index: LoadedIndex, mode: ComposedAnswer['mode']): ComposedAnswer {
  return { answer: notCoveredAnswer(index), grounded: false, support: 'none', mode, citations: [] };
}

/** Composed once per loaded generation: it depends on the headings only. */
const answerByIndex = new WeakMap<LoadedIndex, string>();

function composeNotCovered(index: LoadedIndex): string {
  const headings: string[] = [];
  const seen = new Set<string>();
  for (const chunk of index.chunks) {
    // The top-level heading is the document title; list the sections under it.
    if (chunk.headingPath.length < 2 || seen.has(chunk.section)) continue;
    seen.add(chunk.section);
    headings.push(chunk.section);
  }
  const titles = [...index.documents.values()].map((d) => d.title);
  const topics = headings.slice(0, 6).join('; ');
  return (
    `The guide doesn't cover that, so I can't answer it from the guide. ` +
    `It covers ${titles.length === 1 ? `"${titles[0]}"` : 'topics such as these'}` +
    (topics ? `, including: ${topics}.` : '.')
  );
}
