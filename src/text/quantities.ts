/**
 * The words of an amount, shared by query analysis (a number is not a question's topic) and
 * the answer-type check (does a passage state an amount?), so both read "five years" alike.
 */

/** Cardinal numbers written as words, singular (plurals such as "hundreds" are matched too). */
export const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
  'thirty',
  'forty',
  'fifty',
  'sixty',
  'seventy',
  'eighty',
  'ninety',
  'hundred',
  'thousand',
  'million',
  'billion',
  'dozen',
] as const;

/** Units of a stretch of time, singular. */
const TIME_UNITS = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'semester', 'year', 'decade'] as const;

/** Chat abbreviations of time units ("8 yrs", "6 mos"), singular. */
const TIME_UNIT_ABBREVIATIONS = ['min', 'hr', 'wk', 'mo', 'yr'] as const;

/** The English plural of these words: "sixes", "hundreds", "yrs". */
function plural(word: string): string {
  return word.endsWith('x') ? `${word}es` : `${word}s`;
}

/** Each word and its plural, the plural first (so a regex alternation tries the longer form first). */
export function withPlurals(words: readonly string[]): string[] {
  return words.flatMap((w) => [plural(w), w]);
}

/** Every form of a unit of time: full or abbreviated, singular or plural. */
export const TIME_UNIT_FORMS: readonly string[] = withPlurals([...TIME_UNITS, ...TIME_UNIT_ABBREVIATIONS]);

const NUMBER_WORD_SET: ReadonlySet<string> = new Set(withPlurals(NUMBER_WORDS));
const TIME_UNIT_SET: ReadonlySet<string> = new Set(TIME_UNIT_FORMS);

/** A normalised word that is a number: digits ("5") or a number word ("zero", "dozens"). */
export function isNumber(word: string): boolean {
  return /^\d+$/.test(word) || NUMBER_WORD_SET.has(word);
}

/** A normalised word that is a unit of time, full or abbreviated, singular or plural. */
export function isTimeUnit(word: string): boolean {
  return TIME_UNIT_SET.has(word);
}
