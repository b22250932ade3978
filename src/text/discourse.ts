import { contentTerms, isStopword, words } from './analyze.ts';

/**
 * How a sentence of English prose leans on what comes before it. A sentence quoted alone must
 * stand alone: "This is because they already know you" means nothing without the sentence it
 * explains, and "The first option is great if..." needs the list it points at. These are
 * general English cues (anaphora, connectives, ordinal references), not a word list of any
 * one guide, so they hold for any corpus an owner adds.
 */

/** What a sentence needs before it to be read: nothing, the sentence before it, or the list before it. */
export type Leaning = 'none' | 'previous' | 'list';

/**
 * "The first option...", "the latter...", "The second one...": an ordinal or positional
 * reference to the items of a list said just before.
 */
const REFERS_TO_LIST =
  /^(?:the|this|that|these)\s+(?:first|second|third|fourth|last|former|latter|next|other|final)\b/i;

/**
 * Openings that continue the sentence before: connectives ("However,", "Also", "For
 * example,"), enumerations ("First of all", "For starters"), fragments that complete it
 * ("Especially in...", "Maybe because...") and comment clauses ("That being said").
 */
const CONTINUES = new RegExp(
  '^(?:' +
    [
      'however',
      'also',
      'but',
      'and',
      'or',
      'so',
      'then',
      'yet',
      'still',
      'thus',
      'hence',
      'therefore',
      'moreover',
      'furthermore',
      'besides',
      'otherwise',
      'instead',
      'alternatively',
      'likewise',
      'similarly',
      'meanwhile',
      'nevertheless',
      'nonetheless',
      'consequently',
      'accordingly',
      'indeed',
      'well',
      'plus',
      'first of all',
      'secondly',
      'thirdly',
      'finally',
      'lastly',
      'for starters',
      'to start with',
      'for example',
      'for instance',
      'in other words',
      'in reality',
      'in fact',
      'in addition',
      'in turn',
      'on the other hand',
      'on top of that',
      'as a result',
      'that said',
      'that being said',
      'having said that',
      'even so',
      'even in',
      'especially',
      'particularly',
      'mostly',
      'because',
      'since then',
      'maybe because',
      'perhaps because',
      'which',
      'therein',
      'thereby',
      'another',
      'the rest',
      'the other',
      'both',
      'either',
      'neither',
      'each of',
    ].join('|') +
    ')\\b',
  'i',
);

/** A subject pronoun or demonstrative standing for something said before ("They'll...", "These are..."). */
const REFERRING_SUBJECT =
  /^(?:they|them|their|theirs|these|those|he|she|his|her|such|this|that|its)\b(?!\s+(?:is how|is why|is what)\b)/i;

/**
 * "It" opens a sentence as a pronoun ("It also shows...", "It's both an investment") unless it
 * is the dummy subject of an extraposed clause: "It's recommended that you...", "It is
 * possible to...", "It takes time to...".
 */
const IT_OPENING = /^it(?:['’]s|\s+is|\s+was|\s+will|\s+would|\s+can|\s+may|\s+might)?\b/i;
const DUMMY_IT =
  /^it(?:['’]s|\s+is|\s+was|\s+will be|\s+would be|\s+can be|\s+may be|\s+might be)\s+(?:\S+\s+){0,2}?(?:that|to|for|when|if|whether|how)\b/i;

/** "...for this reason,", "...because of that": a demonstrative reference early in the sentence. */
const EARLY_DEMONSTRATIVE =
  /^(?:\S+\s+){0,3}?(?:this|that|these|those|such)\s+(?:reason|reasons|way|case|point|option|options|step|steps|move|role|roles|path|paths|approach|list|example|means)\b/i;

/** Quotation marks, brackets and emphasis that may open a sentence without changing its grammar. */
const OPENING_PUNCTUATION = /^[\s"'“‘(*_]+/;

/**
 * What a sentence leans on: `list` for a reference to the items of a list ("The first option
 * is great if..."), `previous` for one that continues or refers back to the sentence before
 * it, `none` for one that can be quoted alone.
 *
 * @example leaningOf('This is because they already know you.') // 'previous'
 * @example leaningOf('It’s recommended that you transfer to a marketing role.') // 'none'
 */
export function leaningOf(sentence: string): Leaning {
  const text = sentence.replace(OPENING_PUNCTUATION, '');
  if (REFERS_TO_LIST.test(text)) return 'list';
  if (CONTINUES.test(text) || REFERRING_SUBJECT.test(text) || EARLY_DEMONSTRATIVE.test(text)) return 'previous';
  if (IT_OPENING.test(text) && !DUMMY_IT.test(text)) return 'previous';
  // After a clause that opens the sentence, "this" or "it" may stand for that clause ("If you
  // can find leadership opportunities, this will boost your skill set"); a plural pronoun, or
  // one that adds to something ("it also"), stands for something said before ("If you've never
  // worked in product before, it also shows how serious you are").
  const main = text.replace(OPENING_SUBORDINATE_CLAUSE, '');
  return main !== text && MAIN_SUBJECT_POINTING_BACK.test(main) ? 'previous' : 'none';
}

/** A subordinate clause opening a sentence, up to its comma: "If you've never worked in product before, ". */
const OPENING_SUBORDINATE_CLAUSE =
  /^(?:if|when|whenever|while|once|since|because|although|though|unless|after|before|even if|even though)\b[^,.;:!?]{1,160},\s*/i;
const MAIN_SUBJECT_POINTING_BACK = /^(?:(?:they|these|those|he|she)\b|(?:it|this|that)\s+(?:also|too)\b)/i;

/** A sentence ending in a colon announces what follows ("there are two main ways:"). */
export function announcesList(sentence: string): boolean {
  return /:\s*$/.test(sentence);
}

/**
 * Promotion: a call to act on an offer ("Enroll in...", "Check out our...", "Sign up free"),
 * or a trademarked product name. Guidance pages carry such blurbs between their paragraphs;
 * an answer quotes them only when the question is about what they offer.
 */
const CALL_TO_ACTION =
  /^(?:enroll|enrol|register|sign up|subscribe|download|join us|join our|book a|book your|try it|try our|get started|learn more|check out our|check out the|grab|claim|buy|order|start your free|apply now|request a demo)\b/i;
const MARKETING_MARKS = /[™®℠]|\(tm\)|\(r\)/i;
const OFFER = /\b(?:enroll|enrol|sign up|subscribe|check out our)\b/i;

export function isPromotional(text: string): boolean {
  const opening = text.replace(OPENING_PUNCTUATION, '');
  return CALL_TO_ACTION.test(opening) || MARKETING_MARKS.test(text) || OFFER.test(text);
}

/**
 * A sentence that sets up the one after it: a hypothetical ("For example, let's say you're a
 * digital marketer at an agency."), alone a scene with nothing happening in it; a saying
 * quoted to be turned ("You've heard the expression 'all roads lead to Rome.'", then "Well,
 * many paths lead to product!"); or a promise of an enumeration (below).
 */
const SETS_UP =
  /^(?:(?:for (?:example|instance),?\s+)?(?:let(?:'|’)s say|let us say|say you(?:'|’)re|suppose|imagine|picture this)|you(?:'|’)ve (?:probably |likely |all |surely )?heard (?:the|that|it))\b/i;
/**
 * A sentence that promises an enumeration the next ones give ("Getting certified is a great
 * step, for a number of reasons.", "If you're a marketer, there are several things you do
 * that matter for PMs."): alone, it promises what the answer does not give.
 */
const PROMISES_LIST =
  /(?:\bfor (?:a number of|several|many|a few|two|three|some) reasons[.!]?$|^(?:[^,]{0,80},\s*)?there (?:are|is) (?:several|a few|a number of|many|two|three|four|some) (?:things|ways|reasons|steps|options|paths|benefits)\b)/i;

export function setsUpWhatFollows(sentence: string): boolean {
  const text = sentence.replace(OPENING_PUNCTUATION, '').trim();
  return SETS_UP.test(text) || PROMISES_LIST.test(text);
}

/**
 * Signposting: a sentence about the text itself, not its subject ("We'll dive deep into...",
 * "But first, a quick word of general advice.", "In this article, we'll cover..."). It says
 * what is coming, so on its own in an answer it promises what the answer does not give; it
 * answers only a question about the guide itself.
 */
const SIGNPOST =
  /\b(?:we(?:'|’)ll (?:cover|dive|look|discuss|explore|go over|talk|walk|show|share|break)|we(?:'|’)re (?:about|going) to (?:dive|look|cover|discuss|explore|go over|talk)|in this (?:article|post|guide|section|piece)|but first\b|a (?:quick )?word of|let(?:'|’)s (?:take a look|dive|look at|explore|get started)|read on\b|keep reading)/i;

export function signposts(text: string): boolean {
  return SIGNPOST.test(text);
}

/** "it" standing for something said before, not the dummy subject of "is it hard to...". */
const IT_POINTING_BACK = /\bit\b(?!\s+(?:\S+\s+){0,3}?(?:to|that|if|whether)\b)/i;

const DEMONSTRATIVE = /\b(?:that|this)\b/i;
/** Verbs that open a question before its subject: "*Does* that count?". */
const INVERTING_VERBS: ReadonlySet<string> = new Set(
  'is are was were do does did can could would will should'.split(' '),
);

/**
 * "that" or "this" standing alone, as a pronoun: at the end ("How do I fix that?"), before a
 * function word ("Is this a good idea?"), or as the subject of an inverted question ending
 * in one more word ("Does that count?", "Is that normal?"). Not before the noun it
 * determines ("Is this recipe any good?", "my quota this quarter").
 */
function demonstrativePointsBack(tokens: string[]): boolean {
  return tokens.some(
    (word, i) =>
      (word === 'that' || word === 'this') &&
      (i === tokens.length - 1 ||
        isStopword(tokens[i + 1]!) ||
        (i === tokens.length - 2 && INVERTING_VERBS.has(tokens[i - 1] ?? ''))),
  );
}

/**
 * Whether a question's asking sentence is about what the asker said before it, instead of
 * naming its own subject: it points back ("Does that count?", "Is it worth it?") or has at
 * most one content word ("Thoughts?", "Where do I start?"). "How long does recovery take?"
 * names its own. Stricter than a follow-up's refersBack (condense.ts), which takes any
 * referring word as a reason to carry an earlier turn along for retrieval: here the answer
 * decides whether the sentence before stands in for the question's own words.
 */
export function asksAboutWhatCameBefore(sentence: string, contentWordCount = contentTerms(sentence).length): boolean {
  return (
    contentWordCount <= 1 ||
    IT_POINTING_BACK.test(sentence) ||
    (DEMONSTRATIVE.test(sentence) && demonstrativePointsBack(words(sentence)))
  );
}

/**
 * Words that ask for a kind of answer, not about a thing: guidance ("Any *tips*?", "*Thoughts*?")
 * or a judgement of the asker's chances ("Is it *worth* it?", "What's my *edge*?"). A question
 * whose content words are all of these names nothing itself.
 */
const REQUEST_WORDS: ReadonlySet<string> = new Set(
  `tip tips advice thought thoughts idea ideas suggestion suggestions pointer pointers recommendation
  recommendations input feedback help guidance opinion opinions hope chance chances odds worth
  worthwhile edge advantage advantages shot`
    .split(/\s+/)
    .filter(Boolean),
);

export function isRequestWord(word: string): boolean {
  return REQUEST_WORDS.has(word.toLowerCase());
}

/**
 * The verb of a question the asker asks about what they would do: a yes-no question ("Am I
 * *kidding* myself?", "Could I *pull* this off?") or one asking where or how to go about it
 * ("Where do I even *begin*?", "How should I *proceed*?"). What they would do, not a subject.
 * Null when the sentence is not such a question.
 */
const ASKS_ABOUT_ME =
  /^[^\p{L}]*(?:(?:and|so|but)\s+)?(?:am|could|can|should|will|would|might|must)\s+i\s+(\p{L}[\p{L}'’-]*)/iu;
/**
 * Where or how to set about it, with a verb of going about things and nothing after it. "How
 * do I fix my brakes?" asks about brakes; "How do I cook?" about cooking.
 */
const ASKS_HOW_I_GO_ABOUT_IT =
  /^[^\p{L}]*(?:(?:and|so|but|ok|okay)\s+)?(?:where|how)\s+(?:do|should|can|could|would|will|shall)\s+i\s+(?:even\s+|first\s+|now\s+|then\s+)?(begin|start|proceed|go|continue|get started)(?:\s+(?:first|next|now|then|from here))?\s*[?.!]*\s*$/iu;

export function askerVerb(sentence: string): string | null {
  return (ASKS_ABOUT_ME.exec(sentence) ?? ASKS_HOW_I_GO_ABOUT_IT.exec(sentence))?.[1]?.toLowerCase() ?? null;
}

/**
 * Figures of speech whose nouns name no subject: "what do designers bring *to the table*?"
 * asks what they contribute, not about tables; "get a *foot in the door*", "I'm *on the
 * fence*", "*at the end of the day*", "the *ins and outs*", "years *under my belt*".
 */
const IDIOMS =
  /\b(?:to the table|foot in the door|on the fence|at the end of the day|ins and outs|under (?:my|your|his|her|our|their) belt)\b/gi;

/** The stems of the words of a text's figures of speech (see IDIOMS). */
export function idiomStems(text: string): Set<string> {
  return new Set([...text.matchAll(IDIOMS)].flatMap((m) => contentTerms(m[0])));
}
