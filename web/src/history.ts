import { BODY_LIMIT_BYTES, MAX_HISTORY_CONTENT_CHARS, MAX_HISTORY_MESSAGES, MAX_QUESTION_CHARS } from '../../src/server/request-limits.ts';
import { stripMarkers } from './render-answer.ts';
import type { ChatTurn } from './types.ts';

/** How many recent exchanges go along: enough to resolve "what about design?". */
const RECENT_EXCHANGES = 3;
/** Leaves room in the body limit for the longest question (up to 3 UTF-8 bytes a character) and the JSON around it. */
const MAX_HISTORY_BYTES = BODY_LIMIT_BYTES - 3 * MAX_QUESTION_CHARS - 1024;

export interface Exchange {
  question: string;
  answer: string;
}

/**
 * The last few completed exchanges as `history`: user and assistant text only (failed or
 * stopped turns never get here), markers removed, each message capped, oldest dropped first
 * until the request fits.
 */
export function buildHistory(exchanges: Exchange[]): ChatTurn[] {
  const turns = exchanges.slice(-RECENT_EXCHANGES).flatMap((e): ChatTurn[] => [
    { role: 'user', content: cap(e.question) },
    { role: 'assistant', content: cap(stripMarkers(e.answer)) },
  ]).filter((t) => t.content.trim().length > 0);
  let history = turns.slice(-MAX_HISTORY_MESSAGES);
  // Never start with a lone assistant message.
  while (history[0]?.role === 'assistant') history = history.slice(1);
  while (history.length > 2 && bytes(history) > MAX_HISTORY_BYTES) history = history.slice(2);
  // The last exchange alone is too big (long non-Latin text): shorten its longest message.
  while (history.length && bytes(history) > MAX_HISTORY_BYTES) {
    const longest = history.reduce((a, b) => (b.content.length > a.content.length ? b : a));
    history = history.map((t) => (t === longest ? { ...t, content: cap(t.content, Math.floor(t.content.length * 0.75)) } : t));
  }
  return history;
}

function bytes(history: ChatTurn[]): number {
  return new TextEncoder().encode(JSON.stringify(history)).length;
}

/** Counted in UTF-16 units, as the server counts; never splits a surrogate pair. */
function cap(text: string, max = MAX_HISTORY_CONTENT_CHARS): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  let cut = trimmed.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
