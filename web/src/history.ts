import { stripMarkers } from './render-answer.ts';
import type { ChatTurn } from './types.ts';

/** The server accepts up to 20 messages of up to 4000 characters; the whole body must stay under 16 KiB. */
export const MAX_HISTORY_MESSAGES = 20;
const MAX_MESSAGE_CHARS = 4000;
/** How many recent exchanges go along: enough to resolve "what about design?". */
const RECENT_EXCHANGES = 3;
/** Leaves room for a 2000-character question in the 16 KiB request limit. */
const MAX_HISTORY_BYTES = 9000;

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
function cap(text: string, max = MAX_MESSAGE_CHARS): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  let cut = trimmed.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}
