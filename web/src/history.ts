import { BODY_LIMIT_BYTES, MAX_HISTORY_CONTENT_CHARS, MAX_HISTORY_MESSAGES } from '../../src/http-contract.ts';
import { stripMarkers } from './render-answer.ts';
import type { ChatTurn } from './types.ts';

/** How many recent exchanges go along: enough to resolve "what about design?". */
const RECENT_EXCHANGES = 3;
/** Room in the body limit for the JSON around the question and the history, and for `k`. */
const ENVELOPE_BYTES = 256;

export interface Exchange {
  question: string;
  answer: string;
}

/**
 * The last few completed exchanges as `history` for a request asking `question`: user and
 * assistant text only (failed or stopped turns never get here), markers removed, each
 * message capped, oldest dropped first until the whole request fits the body limit.
 */
export function buildHistory(exchanges: Exchange[], question: string): ChatTurn[] {
  // Measured as JSON, as it is sent: escapes make some characters 6 bytes.
  const maxHistoryBytes = BODY_LIMIT_BYTES - bytes(question) - ENVELOPE_BYTES;
  const turns = exchanges
    .slice(-RECENT_EXCHANGES)
    .flatMap((e): ChatTurn[] => [
      { role: 'user', content: cap(e.question) },
      { role: 'assistant', content: cap(stripMarkers(e.answer)) },
    ])
    .filter((t) => t.content.trim().length > 0);
  let history = turns.slice(-MAX_HISTORY_MESSAGES);
  // Never start with a lone assistant message.
  while (history[0]?.role === 'assistant') history = history.slice(1);
  while (history.length > 2 && bytes(history) > maxHistoryBytes) history = history.slice(2);
  // The last exchange alone is too big (long non-Latin text): shorten its longest message.
  while (history.length && bytes(history) > maxHistoryBytes) {
    const longest = history.reduce((a, b) => (b.content.length > a.content.length ? b : a));
    history = history.map((t) =>
      t === longest ? { ...t, content: cap(t.content, Math.floor(t.content.length * 0.75)) } : t,
    );
  }
  return history;
}

function bytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/** Counted in UTF-16 units, as the server counts; never splits a surrogate pair. */
function cap(text: string, max = MAX_HISTORY_CONTENT_CHARS): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  let cut = trimmed.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
