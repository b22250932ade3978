import { stemmer } from 'stemmer';
import { STOPWORDS } from './stopwords.ts';

/**
 * Text analysis shared by the local embedder, the lexical index and the extractive answerer,
 * so that a word means the same thing to each of them on Node and on Workers.
 */

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const COMBINING_MARKS = /\p{M}+/gu;

/** Lower-case, compatibility-normalised, accent-free text. */
function normalizeText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(/’/g, "'");
}

/**
 * Words of a text, normalised, possessive `'s` removed, in order. "tell" is left out where it
 * asks the assistant ("tell me a joke", "can you tell us"), a frame rather than content, but
 * kept where it is part of what is asked ("should I tell my boss?").
 */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const match of normalizeText(text).matchAll(WORD)) {
    let word = match[0];
    if (word.endsWith("'s")) word = word.slice(0, -2);
    if (!word) continue;
    if ((word === 'me' || word === 'us') && out.at(-1) === 'tell') out.pop();
    out.push(word);
  }
  return out;
}

const stemCache = new Map<string, string>();
const MAX_MEMO_WORD_LENGTH = 40;

/** Porter stem of a word seen once, not memoised (a spelling candidate), so it does not crowd the cache. */
export function stemUncached(word: string): string {
  return stemmer(word);
}

/** Porter stem of a normalised word, memoised: corpora repeat a small vocabulary many times. */
export function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = stemmer(word);
    // Real words are short; a long token (a pasted blob) is stemmed but not kept.
    if (word.length > MAX_MEMO_WORD_LENGTH) return stemmed;
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Stems of the content words of a text (stop words removed), in order. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) if (!STOPWORDS.has(word)) out.push(stem(word));
  return out;
}
