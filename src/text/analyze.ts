import { stemmer } from 'stemmer';
import { BoundedMap, memoised } from '../memo.ts';
import { STOPWORDS } from './stopwords.ts';

/**
 * Text analysis shared by the local embedder, the lexical index and the extractive answerer,
 * so that a word means the same thing to each of them on Node and on Workers.
 */

/**
 * Version of the text analysis (stop words, the words decided by their place, stemming): an
 * index records the version it was built with, since BM25 postings and local vectors hold
 * analysed words, and a server refuses (npm start rebuilds) one built with another. Bump it
 * with any change to what a word analyses to (git log has what each version changed).
 */
export const TEXT_ANALYSIS_VERSION = 16;

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const COMBINING_MARKS = /\p{M}+/gu;

/** Lower-case, compatibility-normalised, accent-free text. */
function normalizeText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(/’/g, "'");
}

/** Words of a text, normalised, possessive `'s` removed, in order. */
export function words(text: string): string[] {
  return wordTokens(normalizeText(text)).map((t) => t.word);
}

interface WordToken {
  word: string;
  /** Whether only whitespace separates it from the word before. */
  followsDirectly: boolean;
}

function wordTokens(normalized: string): WordToken[] {
  const out: WordToken[] = [];
  let previousEnd = -1;
  for (const match of normalized.matchAll(WORD)) {
    let word = match[0];
    const followsDirectly = previousEnd >= 0 && /^\s+$/.test(normalized.slice(previousEnd, match.index));
    previousEnd = match.index + word.length;
    if (word.endsWith("'s")) word = word.slice(0, -2);
    if (word) out.push({ word, followsDirectly });
  }
  return out;
}

/**
 * Prepositions after which "any" means "any one at all" ("from any background", "in any
 * industry"): the breadth of a claim, which a question can be about.
 */
const FREE_CHOICE_CUES: ReadonlySet<string> = new Set([
  'from',
  'in',
  'into',
  'for',
  'at',
  'of',
  'with',
  'to',
  'across',
]);
/** How many stop words ("from literally any", "from pretty much any") may stand between the cue and "any". */
const MAX_WORDS_BETWEEN_CUE_AND_ANY = 2;

/** Whether "any" at `i` follows a free-choice preposition, in the same phrase. */
function afterFreeChoiceCue(tokens: readonly WordToken[], i: number): boolean {
  for (let j = i - 1; j >= 0 && j >= i - 1 - MAX_WORDS_BETWEEN_CUE_AND_ANY; j--) {
    if (!tokens[j + 1]!.followsDirectly) return false;
    const { word } = tokens[j]!;
    if (FREE_CHOICE_CUES.has(word)) return true;
    if (!isStopword(word)) return false;
  }
  return false;
}

/** Words after "tell" that make it a frame: asking the assistant ("tell me") or how to judge ("tell if"). */
const TELL_FRAMES: ReadonlySet<string> = new Set(['me', 'us', 'if', 'whether']);

/**
 * The words of a text in order, with null in place of each stop word. Most stop words are
 * stop words anywhere (STOPWORDS); two depend on the word beside them:
 * - "any" is content only after a preposition ("from any industry", "from literally any
 *   field"); elsewhere it is the "any" of "any tips?" or "do you have any advice", which
 *   says nothing about a topic.
 * - "tell" is content ("should I tell my boss?") unless a frame follows it ("tell me a
 *   joke", "how can I tell if…").
 * Every analysis (the embedder, BM25, query terms) reads words through this, so a word means
 * the same to each of them.
 */
export function contentWords(text: string): Array<string | null> {
  const tokens = wordTokens(normalizeText(text));
  return tokens.map(({ word }, i) => {
    if (isStopword(word)) return null;
    if (word === 'any') return afterFreeChoiceCue(tokens, i) ? word : null;
    if (word === 'tell') {
      const next = tokens[i + 1];
      return next?.followsDirectly && TELL_FRAMES.has(next.word) ? null : word;
    }
    return word;
  });
}

const stemCache = new BoundedMap<string, string>(200_000);
const MAX_MEMO_WORD_LENGTH = 40;

/** Porter stem of a word seen once, not memoised (a spelling candidate), so it does not crowd the cache. */
export function stemUncached(word: string): string {
  return stemmer(word);
}

/** Porter stem of a normalised word, memoised: corpora repeat a small vocabulary many times. */
export function stem(word: string): string {
  // Real words are short; a long token (a pasted blob) is stemmed but not kept.
  return word.length > MAX_MEMO_WORD_LENGTH ? stemmer(word) : memoised(stemCache, word, stemmer);
}

/** A function word with a clitic ("who've", "could've", "that'll"): as much a function word as its base. */
const CLITIC = /^([a-z]+)'(?:ve|d|ll|re|m)$/;

/** Whether a word is a stop word wherever it stands (see contentWords for the two that depend on their place). */
export function isStopword(word: string): boolean {
  if (STOPWORDS.has(word)) return true;
  const clitic = CLITIC.exec(word);
  return clitic !== null && STOPWORDS.has(clitic[1]!);
}

/** Stems of the content words of a text (stop words removed), in order. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const word of contentWords(text)) if (word !== null) out.push(stem(word));
  return out;
}
