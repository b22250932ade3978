/**
 * The words of an amount, shared by query analysis (a number is not a question's topic) and
 * the answer-type check (does a passage state an amount?), so both read "five years" alike.
 */

/** Cardinal numbers written as words, singular (plurals such as "hundreds" are matched too). */
export const NUMBER_WORDS = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'thirty', 'forty',
  'fifty', 'sixty', 'seventy', 'eighty', 'ninety', 'hundred', 'thousand', 'million', 'billion', 'dozen',
] as const;

/** Units of a stretch of time, singular. */
export const TIME_UNITS = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'semester', 'year', 'decade'] as const;

/** Chat abbreviations of time units ("8 yrs", "6 mos"), singular. */
export const TIME_UNIT_ABBREVIATIONS = ['min', 'hr', 'wk', 'mo', 'yr'] as const;

/** The English plural of these words: "sixes", "hundreds", "yrs". */
export function plural(word: string): string {
  return word.endsWith('x') ? `${word}es` : `${word}s`;
}

const NUMBER_WORD_SET: ReadonlySet<string> = new Set(NUMBER_WORDS.flatMap((w) => [w, plural(w)]));
const TIME_UNIT_SET: ReadonlySet<string> = new Set([...TIME_UNITS, ...TIME_UNIT_ABBREVIATIONS].flatMap((w) => [w, plural(w)]));

/** A normalised word that is a number: digits ("5") or a number word ("zero", "dozens"). */
export function isNumber(word: string): boolean {
  return /^\d+$/.test(word) || NUMBER_WORD_SET.has(word);
}

/** A normalised word that is a unit of time, full or abbreviated, singular or plural. */
export function isTimeUnit(word: string): boolean {
  return TIME_UNIT_SET.has(word);
}
