import { contentTerms, words } from '../text/analyze.ts';
import type { ChatTurn, RetrievalQuery } from './types.ts';

/** Openings that lean on an earlier turn: "and what about designers?", "what about it?" */
const ELLIPTICAL_OPENING = /^(and|but|also|so|then|or|what about|how about|what if|same for|and for)\b/i;
const REFERRING_WORDS = new Set([
  'it',
  'that',
  'this',
  'they',
  'them',
  'those',
  'these',
  'there',
  'one',
  'such',
  'he',
  'she',
  'me',
]);
/** A question with this few content words cannot carry a topic by itself. */
const MIN_CONTENT_TERMS = 3;

/**
 * Deterministic follow-up handling for extractive mode: when a question leans on the
 * conversation ("and what about designers?"), the topic of the last user turn is carried
 * along as context. Retrieval weighs the question itself above that context, so the
 * follow-up's own subject (designers) wins over the earlier one (marketers). `usable` passes
 * over turns that must not be carried (see extractiveQuery); it is asked of the last user
 * turns only, and only for a follow-up.
 */
export function condenseExtractive(
  question: string,
  history: ChatTurn[] = [],
  usable: (turn: ChatTurn) => boolean = () => true,
): RetrievalQuery {
  return isElliptical(question) ? withConversationTopic(question, history, usable) : { text: question };
}

/**
 * The question with the last usable user turn carried along as its context (none when there
 * is no such turn). When that turn was too short to carry a topic itself ("What skills would
 * transfer?" after "I'm a teacher..."), the turn it leaned on comes along too, up to the last
 * one that could: the conversation is still about the teacher.
 */
export function withConversationTopic(
  question: string,
  history: ChatTurn[] = [],
  usable: (turn: ChatTurn) => boolean = () => true,
): RetrievalQuery {
  const context = carriedTopic(history, usable, MAX_CARRIED_TURNS);
  return context ? { text: question, context } : { text: question };
}

/** At most this many earlier user turns are carried: a long chain of follow-ups drifts. */
const MAX_CARRIED_TURNS = 3;

function carriedTopic(history: ChatTurn[], usable: (turn: ChatTurn) => boolean, turns: number): string | undefined {
  const at = history.findLastIndex((turn) => turn.role === 'user' && usable(turn));
  if (at < 0) return undefined;
  const previous = history[at]!.content.trim();
  if (turns <= 1 || contentTerms(previous).length >= MIN_CONTENT_TERMS) return previous;
  const earlier = carriedTopic(history.slice(0, at), usable, turns - 1);
  return earlier ? `${earlier}\n${previous}` : previous;
}

export function isElliptical(question: string): boolean {
  return refersBack(question) || contentTerms(question.trim()).length < MIN_CONTENT_TERMS;
}

/** Whether a question points back at the conversation in so many words ("and what about...", "is it..."), not only by being short. */
export function refersBack(question: string): boolean {
  const trimmed = question.trim();
  return ELLIPTICAL_OPENING.test(trimmed) || words(trimmed).some((w) => REFERRING_WORDS.has(w));
}
