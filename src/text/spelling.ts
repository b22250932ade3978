import { isStopword, stemUncached } from './analyze.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Shorter words have too many neighbours one edit away ("cat": bat, cut, cart, …) to guess from. */
const MIN_LENGTH = 5;
/**
 * Candidates grow with the length (54 per letter) and each is a string of that length to
 * stem: longer "words" are not typing slips, and would make one request cost seconds.
 */
const MAX_LENGTH = 20;

/** Whether `oneSlipAway` tries to correct a word at all: lower-case a-z, MIN_LENGTH to MAX_LENGTH letters. */
export function isCorrectable(word: string): boolean {
  return word.length >= MIN_LENGTH && word.length <= MAX_LENGTH && /^[a-z]+$/.test(word);
}

/**
 * The stems of the words one typing slip away from `word` (a letter left out, doubled,
 * swapped with the next or struck for another, the first letter kept) that `accept` takes,
 * as a chat spelling corrector does ("prodcut" -> product, "expereince" -> experi[ence]).
 * `word` is the word as typed (normalised), not its stem: a stem of a typo is not a word to
 * edit. Only words `isCorrectable` allows are tried; stop words are never the correction.
 */
export function oneSlipAway(word: string, accept: (stem: string) => boolean): string[] {
  if (!isCorrectable(word)) return [];
  const found = new Set<string>();
  const consider = (candidate: string) => {
    if (candidate === word || isStopword(candidate)) return;
    const candidateStem = stemUncached(candidate);
    if (accept(candidateStem)) found.add(candidateStem);
  };
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail.length > 1) consider(head + tail[1] + tail[0] + tail.slice(2));
    // The first letter is rarely the slip, and a word that differs only there is most often
    // another word ("letter", "better"): it is kept, save for a swap with the second.
    if (i === 0) continue;
    if (tail) consider(head + tail.slice(1));
    for (const letter of LETTERS) {
      if (tail) consider(head + letter + tail.slice(1));
      consider(head + letter + tail);
    }
  }
  return [...found];
}
