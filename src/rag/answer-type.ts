import { isStopword, stem, words } from '../text/analyze.ts';
import { isNumber, NUMBER_WORDS, TIME_UNIT_FORMS, withPlurals } from '../text/quantities.ts';
import { isLooselyBacked, type QueryTerm } from './query-terms.ts';

/**
 * Expected answer type, as question-answering systems have long checked it: some questions
 * can only be answered by a passage of a certain kind. "How much does a PM make?" asks for a
 * sum of money, "how long does the switch take?" for a stretch of time, "how many …" for a
 * number; a passage that states none cannot answer them, however well its words match ("PM",
 * "sales", "switch"). Lexical support cannot see that, so without this check such near-topic
 * questions are answered from the nearest section instead of declined.
 *
 * Amounts are checked, and choices between alternatives ("Jira or Asana?"): unlike people,
 * places or reasons, whether a passage states an amount is visible on its surface (digits,
 * number words, currencies, units of time), and whether the guide names an alternative is
 * visible in its vocabulary.
 */
export type AmountKind = 'money' | 'duration' | 'count';

/** Words that name a sum of money whatever the phrasing: a salary, a fee. */
const SUM_NAMES = 'salar(?:y|ies)|wages?|compensation|income|tuition|fees?';
/**
 * Money words for a "how much" question: "how much does it cost", "how much are PMs paid".
 * Asked with "what", several are as often figurative ("what are the costs of switching",
 * "what can I do to earn their trust"), so "what" questions need a sum's own name (below).
 */
const MONEY_WORD = new RegExp(
  `\\b(?:${SUM_NAMES}|prices?|pric(?:ed|ing)|costs?|earn(?:s|ing|ings)?|paid|pay(?:s|ing)?)\\b`,
  'i',
);
/** Names of a sum of money that "what" asks for: "what's the typical pay", "what do PMs get paid". */
const SUM_OF_MONEY = new RegExp(`\\b(?:${SUM_NAMES}|pay|get(?:s|ting)? paid)\\b(?!\\s+(?:off|cut)\\b)`, 'i');
const WHAT_IS = /\bwhat(?:'s|’s| is| are| would| will| do| does| can)\b/i;
const HOW_MUCH = /\bhow much\b/i;
/** "What PM salary can I expect", "what kind of pay": "what" right before the sum. */
const WHAT_SUM = new RegExp(`\\bwhat(?:\\s+[\\w'’-]+){0,3}\\s+(?:${SUM_NAMES}|pay)\\b(?!\\s+(?:off|cut)\\b)`, 'i');
/** "How much does a PM make": earning, unless what is made is a difference or sense. */
const HOW_MUCH_MAKE =
  /\bhow much (?:money )?(?:do|does|did|would|will|can|could|might) (?:[\w'’-]+ ){1,4}(?:make|earn)\b(?!\s+(?:a\s+|any\s+|much\s+|the\s+)?(?:difference|sense)\b)/i;
/** "How long should my resume be": a length, not a stretch of time. */
const HOW_LONG_A_THING_IS = /\bhow long (?:should|must|can|could|would|will|is|are)\b[^?.!]*\bbe\s*[?.!]*\s*$/i;
/** A unit of time, full or abbreviated, singular or plural, as a regex alternation. */
const UNITS = TIME_UNIT_FORMS.join('|');
const HOW_LONG = new RegExp(`\\bhow long\\b|\\bhow many (?:more )?(?:${UNITS})\\b`, 'i');
const HOW_MANY = /\bhow many\b/i;

/** The kind of amount a question asks for, or null when it asks for something else. */
export function askedAmount(question: string): AmountKind | null {
  if (HOW_LONG.test(question) && !HOW_LONG_A_THING_IS.test(question)) return 'duration';
  // "How much" alone often asks for a degree ("how much does my background matter?"), and a
  // money word alone may only set the scene ("I took a pay cut, how do I explain it").
  if (HOW_MUCH_MAKE.test(question) || WHAT_SUM.test(question)) return 'money';
  if ((HOW_MUCH.test(question) && MONEY_WORD.test(question)) || (WHAT_IS.test(question) && SUM_OF_MONEY.test(question)))
    return 'money';
  if (HOW_MANY.test(question)) return 'count';
  return null;
}

// "one" alone is mostly a pronoun ("one of the best ways"), "zero" an absence: neither counts.
const COUNTING_WORDS = withPlurals(NUMBER_WORDS.filter((w) => w !== 'one' && w !== 'zero')).join('|');
const STATES: Record<AmountKind, RegExp> = {
  money: /[$€£¥]|\b\d[\d,.]*\s?k\b|\b(?:dollars?|euros?|usd|eur|gbp|per (?:year|annum|hour|month))\b/i,
  // With a unit, "one" is an amount ("one year").
  duration: new RegExp(
    `(?:\\d+|\\b(?:${COUNTING_WORDS}|one|a|an|a few|a couple of|several))[\\s-]+(?:${UNITS})\\b(?!-(?!long\\b))`,
    'i',
  ),
  count: new RegExp(`\\d|\\b(?:${COUNTING_WORDS})\\b`, 'i'),
};

/** A numbered list's "1." is an item marker, not an amount the text states. */
const LIST_MARKER = /^\s*\d+[.)]\s/gm;

/** Whether a text states an amount of the kind: a sum of money, a stretch of time, a number. */
export function statesAmount(kind: AmountKind, text: string): boolean {
  return STATES[kind].test(text.replace(LIST_MARKER, ''));
}

/**
 * "Should I learn Jira or Asana?", "CSPO vs PMP": a choice between alternatives, answered by
 * naming one of them. Only single content words on each side are taken ("product owner or
 * scrum master" gives owner / scrum); clauses joined by "or" ("apply now or is it too early")
 * have a function word on one side and are not a choice of things. The left boundary keeps
 * the scan linear on a long word and "Jira's or" from giving "s".
 */
const ALTERNATIVES = /(?<![\p{L}\p{N}'’])([\p{L}\p{N}]+)\s+(?:or|vs\.?|versus)\s+(?:(?:the|an?)\s+)?([\p{L}\p{N}]+)/giu;
/**
 * Words that make "X or Y" a choice asked for: "should I learn Jira or Asana", "which is
 * better", "X vs Y". Without one in its clause, "X or Y" describes the asker ("I'm a
 * consultant at Deloitte or KPMG, how do I…") and is not a choice the answer must make.
 */
const CHOICE_CUE = /\b(?:should|which|better|best|worth|choose|pick|prefer|recommend|rather|vs\.?|versus)\b/i;
/** Clauses of a question: a choice and its cue are in the same one ("vs." and a colon do not end one). */
const CLAUSE_BREAK = /[,;!?()]+|(?<!\bvs)\.+|\s[-–—]\s/i;

/** The pairs of alternatives a question asks to choose between, as stems. */
export function askedAlternatives(question: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const clause of question.split(CLAUSE_BREAK)) {
    if (!CHOICE_CUE.test(clause)) continue;
    for (const match of clause.matchAll(ALTERNATIVES)) {
      const [a, b] = [words(match[1]!)[0], words(match[2]!)[0]];
      if (!a || !b || a === b || [a, b].some((w) => isStopword(w) || isNumber(w))) continue;
      pairs.push([stem(a), stem(b)]);
    }
  }
  return pairs;
}

/**
 * Whether the passages can hold the kind of answer the question asks for: a stated amount
 * for an amount question; for a choice between alternatives, an alternative the guide names.
 * A choice is judged on the corpus vocabulary (the query terms' `unknown`), not on retrieved
 * passages: declined only when the guide names neither alternative, itself or by a synonym
 * (a loose WordNet relative does not count: "Asana" is a yoga posture there). "Apply now or
 * wait?" joins two ordinary words the guide uses and goes on to retrieval; "Jira or Asana?"
 * names two things it never mentions.
 */
export function answerTypeMet(question: string, passageTexts: readonly string[], terms: readonly QueryTerm[]): boolean {
  const unmet = unmetAnswerType(question, passageTexts, terms);
  return unmet.amount === null && !unmet.choice;
}

/** What of the kind of answer asked for the passages lack: the amount no passage states, a choice the guide never names. */
export function unmetAnswerType(
  question: string,
  passageTexts: readonly string[],
  terms: readonly QueryTerm[],
): { amount: AmountKind | null; choice: boolean } {
  const kind = askedAmount(question);
  const amount = kind !== null && !passageTexts.some((text) => statesAmount(kind, text)) ? kind : null;
  const unnamed = new Set(terms.filter(isLooselyBacked).map((t) => t.stem));
  const choice = askedAlternatives(question).some(([a, b]) => unnamed.has(a) && unnamed.has(b));
  return { amount, choice };
}
