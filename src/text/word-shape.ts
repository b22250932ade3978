/**
 * Whether an English word is shaped like an adjective or an adverb, from its ending alone
 * ("realistic", "stressful", "frazzled", "seriously"). Question words the corpus lacks are
 * often such qualifiers of what is asked ("is PM a realistic next step?"); the guide not
 * using them says nothing about whether it answers the question. Nouns that name what is
 * asked ("salary", "visa", "books") rarely end this way. The test needs no dictionary, so it
 * runs the same on Workers as on Node; its few misses (a noun such as "clinic") only make an
 * answer out of what would have been a "the guide doesn't mention" note.
 */
const MODIFIER_ENDING = /(?:[a-z]{3}(?:ic|ical|ful|ous|ive|able|ible|less)|[a-z]{3}[^e]ed|[a-z]{4}[^i]ly)$/;

export function looksLikeModifier(word: string): boolean {
  return MODIFIER_ENDING.test(word.toLowerCase());
}

/**
 * Whether a word is shaped like a comparative or superlative ("easier", "biggest",
 * "smartest"). Kept apart from looksLikeModifier: nouns end this way too ("courier",
 * "priest", "interest"), so it only keeps such a word from counting as the thing a question
 * names (outcome.ts), never from counting as asked at all.
 */
const DEGREE_ENDING = /(?:[a-z]{2}(?:iest|ier)|[a-z]{3}est)$/;

export function looksLikeDegree(word: string): boolean {
  return DEGREE_ENDING.test(word.toLowerCase());
}

/** Shaped like a qualifier of what is asked: an adjective, an adverb, a comparative or a superlative. */
export function looksLikeQualifier(word: string): boolean {
  return looksLikeModifier(word) || looksLikeDegree(word);
}
