import { isStopword, stemUncached } from './analyze.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Shorter words have too many neighbours one edit away ("cat": bat, cut, cart, …) to guess from. */
const MIN_LENGTH = 5;

/**
 * The stems of the words one typing slip away from `word` (a letter left out, doubled,
 * swapped with the next or struck for another) that `accept` takes, as a chat spelling
 * corrector does ("prodcut" -> product, "managment" -> manag[ement]). Only lower-case a-z
 * words of MIN_LENGTH or more are tried; stop words are never the correction.
 */
export function oneSlipAway(word: string, accept: (stem: string) => boolean): string[] {
  if (word.length < MIN_LENGTH || !/^[a-z]+$/.test(word)) return [];
  const found = new Set<string>();
  const consider = (candidate: string) => {
    if (candidate === word || isStopword(candidate)) return;
    const candidateStem = stemUncached(candidate);
    if (accept(candidateStem)) found.add(candidateStem);
  };
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail) consider(head + tail.slice(1));
    if (tail.length > 1) consider(head + tail[1] + tail[0] + tail.slice(2));
    for (const letter of LETTERS) {
      if (tail) consider(head + letter + tail.slice(1));
      consider(head + letter + tail);
    }
  }
  return [...found];
}
