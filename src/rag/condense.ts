import { contentTerms, words } from '../text/analyze.ts';
import type { ChatTurn, RetrievalQuery } from './types.ts';

/** Openings that lean on an earlier turn: "and what about designers?", "what about it?" */
const ELLIPTICAL_OPENING = /^(and|but|also|so|then|or|what about|how about|what if|same for|and for)\b/i;
const REFERRING_WORDS = new Set(['it', 'that', 'this', 'they', 'them', 'those', 'these', 'there', 'one', 'such', 'he', 'she', 'me']);
/** A question with this few content words cannot carry a topic by itself. */
const MIN_CONTENT_TERMS = 3;

/**
 * Deterministic follow-up handling for extractive mode: when a question leans on the
 * conversation ("and what about designers?"), the topic of the last user turn is carried
 * along as context. Retrieval weighs the question itself above that context, so the
 * follow-up's own subject (designers) wins over the earlier one (marketers).
 */
export function condenseExtractive(question: string, history: ChatTurn[] = []): RetrievalQuery {
  const previous = [...history].reverse().find((turn) => turn.role === 'user')?.content.trim();
  if (!previous || !isElliptical(question)) return { text: question };
  return { text: question, context: previous };
}

export function isElliptical(question: string): boolean {
  const trimmed = question.trim();
  if (ELLIPTICAL_OPENING.test(trimmed)) return true;
  if (contentTerms(trimmed).length < MIN_CONTENT_TERMS) return true;
  return words(trimmed).some((w) => REFERRING_WORDS.has(w));
}
