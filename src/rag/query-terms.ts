import type { LocalEmbeddings } from '../embeddings/local-embeddings.ts';
import { contentTerms, contentWords, isStopword, stem, words } from '../text/analyze.ts';
import { idiomStems, isRequestWord } from '../text/discourse.ts';
import { isNumber, isTimeUnit } from '../text/quantities.ts';
import { isCorrectable, oneSlipAway } from '../text/spelling.ts';
import { looksLikeModifier, looksLikeQualifier } from '../text/word-shape.ts';

/**
 * What the corpus has for a question word: the `word` itself; a `synonym` (listed, another
 * form of the word, or a spelling it was probably meant as); only a `related` word (a WordNet
 * relative, broader or narrower and sometimes loose: "cluster" -> "gather"); or `none`,
 * often the topic of an off-topic question ("risotto", "visa").
 */
export type Evidence = 'word' | 'synonym' | 'related' | 'none';

/**
 * What a question word does in the question: its `topic` (what is asked about), the asker's
 * `background` ("I'm a pilot", "QA here"), or a `circumstance` of theirs said around the
 * question (a city, an employer, "burnt out", the earlier turn a follow-up carries) that the
 * guide need not cover for the question to be answered.
 */
export type Role = 'topic' | 'background' | 'circumstance';

/**
 * A content word of the question, as the one model that retrieval, support and composition
 * read: its evidence in the corpus and its role in the question, its weight, and the stems
 * that count as a match for it, each with the credit a match earns (the word itself 1, a
 * synonym less, a related word least).
 */
export interface QueryTerm {
  /** The word as the asker typed it (lower-cased). */
  word: string;
  stem: string;
  idf: number;
  /** 1, or more for the words naming the asker's own background ("I'm a teacher"). */
  weight: number;
  matches: ReadonlyMap<string, number>;
  evidence: Evidence;
  role: Role;
  /**
   * Shaped like an adjective or adverb ("realistic", "frazzled", "seriously"), or a word that
   * asks for a kind of answer ("any *tips*", "is it *worth* it", "my *edge*"): a word that
   * qualifies what is asked rather than naming it, so the guide lacking it changes nothing.
   */
  modifier: boolean;
  /**
   * A modifier, a comparative or superlative by its shape, or a word WordNet uses mostly as an
   * adjective or adverb ("crazy", "late", "remote"). Such a word the guide lacks never takes a
   * question off the guide's topic (outcome.ts). But it may be what is asked ("fully *remote*
   * jobs"), so unlike a modifier it still counts as asked, and as what the guide does not say.
   */
  qualifier: boolean;
}

/**
 * Whether a word is part of what the question asks, so that the passages must cover it: not a
 * circumstance of the asker's, and not a qualifier the guide never uses.
 */
export function isAsked(term: QueryTerm): boolean {
  return term.role !== 'circumstance' && !(term.modifier && isLooselyBacked(term));
}

/** Whether some question word (or a synonym of it: not a loose relative) is among the stems. */
export function matchesAny(terms: readonly QueryTerm[], stems: ReadonlySet<string>): boolean {
  if (stems.size === 0) return false;
  for (const term of terms) {
    for (const [match, credit] of term.matches) if (credit >= SYNONYM_CREDIT && stems.has(match)) return true;
  }
  return false;
}

/** Only loosely backed by the corpus: no evidence, or only a related word (the asker's own background aside). */
export function isLooselyBacked(term: QueryTerm): boolean {
  return term.evidence === 'none' || (term.evidence === 'related' && term.role !== 'background');
}

/** The credit of a synonym's match: a match at least this good names the word itself. */
export const SYNONYM_CREDIT = 0.8;
/** Words per question that spelling correction is tried on (see matchesOf for why). */
const MAX_SPELLING_CORRECTIONS = 6;
const RELATED_CREDIT = 0.4;

/**
 * The corpus's stems exactly (the lexical index's terms): the embedder knows words by 32-bit
 * feature hashes, which at a large corpus's millions of features a guessed stem (a spelling
 * candidate, a derived form) would hit by chance.
 */
export interface CorpusVocabulary {
  has(stem: string): boolean;
  /** The stems that begin with `prefix`. */
  startingWith(prefix: string): readonly string[];
}

/**
 * Distinct content terms of a question (numbers, and the time unit counting one, left out),
 * weighted by corpus IDF.
 */
export function queryTerms(
  question: string,
  embedder: LocalEmbeddings,
  vocabulary?: CorpusVocabulary,
  context?: string,
): QueryTerm[] {
  const text = context ? `${question}\n${context}` : question;
  const roleNouns = cuedNouns(text, ROLE_CUES);
  const otherNouns = cuedNouns(text, OTHER_BACKGROUND_CUES);
  const roles = headStems(roleNouns);
  const background = new Set([...roles, ...headStems(otherNouns)]);
  const backgroundModifiers = new Set(modifierStems([...roleNouns, ...otherNouns]));
  const lookup: StandInLookup = {
    embedder,
    vocabulary,
    roles: new Set(roles),
    // A stem counts only if the corpus really has it.
    inCorpus: (s) => embedder.knowsTerm(s) && (vocabulary?.has(s) ?? true),
    spellingBudget: MAX_SPELLING_CORRECTIONS,
  };
  const idioms = idiomStems(text);
  const textWords = contentWords(text);
  const phraseStandIns = synonymPhraseStandIns(textWords, embedder.synonyms.phrases);
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  let previous: string | null = null;
  for (const word of textWords) {
    const afterNumber = previous !== null && isNumber(previous);
    previous = word;
    if (word === null) continue;
    const termStem = stem(word);
    // Numbers say how much, not what about ("zero experience", "5 years", "8 yrs"): neither a
    // number nor the time unit counting it is the question's topic.
    if (seen.has(termStem) || isNumber(word) || (afterNumber && isTimeUnit(word))) continue;
    seen.add(termStem);
    // By the corpus vocabulary: the embedder knows feature ids, and another feature may share a
    // word's id by chance ("oil" and the "mil" of "million").
    const known = lookup.inCorpus(termStem);
    const { matches, unlistedBackground } = matchesOf(word, termStem, known, lookup);
    for (const standIn of phraseStandIns.get(termStem) ?? [])
      if (!matches.has(standIn) && lookup.inCorpus(standIn)) matches.set(standIn, SYNONYM_CREDIT);
    // A word the corpus lacks but whose stand-ins it has is a vocabulary gap, not a new
    // topic: weigh it like its stand-ins, on average.
    const standIns = [...matches.keys()]
      .filter((m) => m !== termStem && embedder.knowsTerm(m))
      .map((m) => embedder.termIdf(m));
    const idf = known
      ? embedder.termIdf(termStem)
      : standIns.length === 0
        ? embedder.unseenTermIdf
        : standIns.reduce((a, b) => a + b, 0) / standIns.length;
    const evidence: Evidence = known
      ? 'word'
      : standIns.length === 0
        ? 'none'
        : [...matches.values()].some((credit) => credit === SYNONYM_CREDIT)
          ? 'synonym'
          : 'related';
    // An unlisted background ("I'm a pilot") is the asker's, whatever the guide calls it (see matchesOf).
    const role: Role =
      background.has(termStem) || backgroundModifiers.has(termStem) || unlistedBackground ? 'background' : 'topic';
    const weight = background.has(termStem) || backgroundModifiers.has(termStem) ? BACKGROUND_WEIGHT : 1;
    terms.push({
      word,
      stem: termStem,
      idf,
      weight,
      matches,
      evidence,
      role,
      modifier: looksLikeModifier(word) || isRequestWord(word) || idioms.has(termStem),
      qualifier: looksLikeQualifier(word) || embedder.qualifiers.has(word),
    });
  }
  markCircumstances(question, context, terms, background);
  return terms;
}

const SENTENCE_BREAK = /(?<=[.!?])\s+|\n+/;

/**
 * The stand-ins a synonyms term of several words lends each of its words when the question
 * says it, its words in order ("account executive" in "account executive here" stands for
 * sales): a word alone ("my bank account") lends nothing.
 */
function synonymPhraseStandIns(
  textWords: ReadonlyArray<string | null>,
  phrases: ReadonlyArray<{ stems: readonly string[]; standsFor: ReadonlySet<string> }>,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (phrases.length === 0) return out;
  const stems = textWords.map((w) => (w === null ? null : stem(w)));
  for (const phrase of phrases) {
    const says = stems.some((_, i) => phrase.stems.every((s, j) => stems[i + j] === s));
    if (!says) continue;
    for (const s of phrase.stems) {
      const set = out.get(s) ?? new Set<string>();
      for (const standIn of phrase.standsFor) set.add(standIn);
      out.set(s, set);
    }
  }
  return out;
}

/**
 * Where the question's words are said: `asked`, the stems of the question sentence (the
 * last with a question mark, else the last); `background`, the stems said only in other
 * sentences that tell the asker's background ("Journalist here, 15 years in newsrooms, got
 * laid off last month."), apart from the background words themselves; `said`, all of them.
 */
function sentenceRoles(
  text: string,
  backgroundWords: ReadonlySet<string>,
): { asked: Set<string>; background: Set<string>; said: Set<string> } {
  const sentences = text.split(SENTENCE_BREAK).filter((s) => s.trim());
  let askedAt = sentences.findLastIndex((s) => s.includes('?'));
  if (askedAt < 0) askedAt = sentences.length - 1;
  const asked = new Set<string>();
  const background = new Set<string>();
  const elsewhere = new Set<string>();
  sentences.forEach((sentence, i) => {
    const into = i === askedAt ? asked : backgroundStems(sentence).length > 0 ? background : elsewhere;
    for (const s of contentTerms(sentence)) into.add(s);
  });
  const said = new Set([...asked, ...background, ...elsewhere]);
  for (const s of [...asked, ...elsewhere, ...backgroundWords]) background.delete(s);
  return { asked, background, said };
}

/**
 * The words the corpus lacks in a sentence about the asker's background (or in the earlier
 * turn a follow-up carries along) are their circumstances (a city, an employer, "burnt
 * out"), not what they ask about, when the question sentence asks about something the guide
 * knows. Otherwise ("I'm a baker who loves sourdough. Any tips?") the background is the
 * topic, and its words count.
 */
function markCircumstances(
  question: string,
  context: string | undefined,
  terms: QueryTerm[],
  backgroundWords: ReadonlySet<string>,
): void {
  // Most questions are one sentence with every word known: nothing to tell apart.
  if (terms.every((t) => t.evidence === 'word')) return;
  // A turn that only tells where the asker comes from ("I'm a software engineer at Google.")
  // asks how that leads into the guide's topic: the words around the background the corpus
  // lacks (an employer, a city, an industry) are where they are, not what they ask.
  if (!context && tellsOnlyBackground(question)) {
    for (const term of terms) if (term.evidence !== 'word' && term.role === 'topic') term.role = 'circumstance';
    return;
  }
  if (!context && !SENTENCE_BREAK.test(question.trim())) return;
  const { asked, background: circumstances, said } = sentenceRoles(question, backgroundWords);
  // What the asker says they lack ("a barista with *no degree*") is their situation, not a
  // subject, whatever the question asks: the guide not mentioning it changes nothing.
  const lacked = new Set(lackedStems(question).filter((s) => !asked.has(s)));
  for (const term of terms) if (term.evidence !== 'word' && lacked.has(term.stem)) term.role = 'circumstance';
  if (context) {
    // The carried turn was asked, and answered, before: what the follow-up does not repeat is context.
    for (const s of contentTerms(context)) if (!said.has(s) && !backgroundWords.has(s)) circumstances.add(s);
  }
  if (
    circumstances.size === 0 ||
    !terms.some((t) => asked.has(t.stem) && (t.evidence === 'word' || t.evidence === 'synonym'))
  )
    return;
  for (const term of terms) if (term.evidence !== 'word' && circumstances.has(term.stem)) term.role = 'circumstance';
}

/**
 * Whether a turn asks nothing, even without a question mark ("I'm a chef and want to know
 * how to..."), and each of its sentences says where the asker comes from.
 */
function tellsOnlyBackground(text: string): boolean {
  const sentences = text.split(SENTENCE_BREAK).filter((s) => s.trim());
  return (
    !text.includes('?') &&
    !words(text).some((w) => ASKING_WORDS.has(w)) &&
    sentences.every((s) => backgroundStems(s).length > 0)
  );
}
/** Words that ask or want something, wherever they stand in a sentence. */
const ASKING_WORDS: ReadonlySet<string> = new Set(
  'how what why which where when who whom whether want wants wanted wanting need needs would like help know'.split(' '),
);

/** "no degree", "without a degree", "don't have a degree": what a sentence says the asker lacks. */
const LACKING =
  /\b(?:no|without(?:\s+an?|\s+any)?|zero|lack(?:ing)?(?:\s+an?|\s+any)?|(?:don['’]?t|do not|never)\s+(?:have|had)(?:\s+an?|\s+any)?)\s+([\p{L}][\p{L}'’-]*)/giu;

function lackedStems(text: string): string[] {
  return [...text.matchAll(LACKING)]
    .map((m) => m[1]!.toLowerCase())
    .filter((w) => !isStopword(w))
    .map((w) => stem(w));
}

/** What matchesOf looks stand-ins up in, for one question. */
interface StandInLookup {
  embedder: LocalEmbeddings;
  vocabulary: CorpusVocabulary | undefined;
  /** The stems the question names as the asker's job ("I'm a pilot"). */
  roles: ReadonlySet<string>;
  inCorpus(stem: string): boolean;
  /** Spelling corrections this question may still try (see MAX_SPELLING_CORRECTIONS). */
  spellingBudget: number;
}

/** A word's matches (itself at credit 1, and its stand-ins), and whether it is an unlisted background. */
function matchesOf(
  word: string,
  termStem: string,
  known: boolean,
  lookup: StandInLookup,
): { matches: Map<string, number>; unlistedBackground: boolean } {
  const { embedder, inCorpus } = lookup;
  const matches = new Map<string, number>([[termStem, 1]]);
  const add = (stand: string, credit: number) => {
    if (!matches.has(stand)) matches.set(stand, credit);
  };
  // Stand-ins the corpus does not contain could never match; they would only dilute the rest.
  for (const synonym of embedder.synonyms.of(termStem)) if (inCorpus(synonym)) add(synonym, SYNONYM_CREDIT);
  if (!known) {
    // A word the corpus lacks may be there in another form the stemmer does not join
    // ("architect" / "architecture"): as good as a synonym.
    for (const form of derivedForms(termStem, inCorpus, lookup.vocabulary)) add(form, SYNONYM_CREDIT);
    // Then among related words (WordNet, fitted at ingest).
    for (const relative of embedder.related.get(termStem) ?? []) add(relative, RELATED_CREDIT);
  }
  // A word neither the corpus nor WordNet can place is most often a typing slip ("prodcut").
  // A few per question: each costs hundreds of candidate stems, and a question with more
  // such words than that is not mistyped, it is about something else (or an attack).
  if (matches.size === 1 && !known && isCorrectable(word)) {
    const memo = embedder.spellingCorrections;
    let corrections = memo.get(word);
    if (corrections === undefined && lookup.spellingBudget > 0) {
      lookup.spellingBudget--;
      corrections = oneSlipAway(word, inCorpus);
      memo.set(word, corrections);
    }
    for (const corrected of corrections ?? []) add(corrected, SYNONYM_CREDIT);
  }
  // A background the guide does not name ("I'm a pilot") is still a background: what the
  // guide says about backgrounds in general answers it.
  const unlistedBackground =
    lookup.roles.has(termStem) && !known && ![...matches.values()].some((credit) => credit === SYNONYM_CREDIT);
  if (unlistedBackground)
    for (const general of GENERAL_BACKGROUND_STEMS) if (inCorpus(general)) add(general, RELATED_CREDIT);
  return { matches, unlistedBackground };
}

/** Derived forms are looked for only from stems this long (up to a word's length), and only this many letters away. */
const DERIVATION_MIN_STEM = 6;
const DERIVATION_MAX_STEM = 20;
const DERIVATION_MAX_SUFFIX = 4;

/**
 * Corpus stems that extend this one or that it extends by a short suffix, beyond what the
 * Porter stemmer joins: "architect" -> "architectur", "architectur" -> "architect". Only
 * from stems of DERIVATION_MIN_STEM letters, so short roots ("car" -> "career") never meet.
 */
function derivedForms(
  termStem: string,
  inCorpus: (stem: string) => boolean,
  vocabulary: CorpusVocabulary | undefined,
): string[] {
  if (termStem.length < DERIVATION_MIN_STEM || termStem.length > DERIVATION_MAX_STEM || !/^[a-z]+$/.test(termStem))
    return [];
  const forms: string[] = [];
  for (
    let length = termStem.length - 1;
    length >= Math.max(DERIVATION_MIN_STEM, termStem.length - DERIVATION_MAX_SUFFIX);
    length--
  ) {
    const shorter = termStem.slice(0, length);
    if (inCorpus(shorter)) forms.push(shorter);
  }
  for (const longer of vocabulary?.startingWith(termStem) ?? [])
    if (longer !== termStem && longer.length - termStem.length <= DERIVATION_MAX_SUFFIX) forms.push(longer);
  return forms;
}

/**
 * Search weights: the question's own words (1, more for its background words) and their
 * stand-ins. One word's stand-ins share its credit, so a word with twenty loose relatives
 * does not outweigh the words the person actually typed.
 */
export function termWeights(terms: QueryTerm[]): Map<string, number> {
  const own = new Set(terms.map((t) => t.stem));
  const known = new Set(terms.filter((t) => t.evidence === 'word').map((t) => t.stem));
  const out = new Map<string, number>();
  for (const term of terms) {
    out.set(term.stem, Math.max(out.get(term.stem) ?? 0, term.weight));
    const extra = [...term.matches].filter(([m]) => !own.has(m));
    // A word the corpus lacks ("SDR") lives only through its stand-ins, which then carry its
    // full weight between them; a word the corpus has keeps most of it for itself.
    const share = (known.has(term.stem) ? 0.75 : 1.5) / Math.sqrt(extra.length);
    for (const [match, credit] of extra) out.set(match, Math.max(out.get(match) ?? 0, term.weight * credit * share));
  }
  return out;
}

/** The stand-ins alone (stems not typed by the asker), with their weights (from `termWeights`). */
export function expansionTerms(terms: QueryTerm[], weights: ReadonlyMap<string, number>): Map<string, number> {
  const own = new Set(terms.map((t) => t.stem));
  return new Map([...weights].filter(([stem]) => !own.has(stem)));
}

/**
 * People asking how to move into a new career say where they come from: "I'm a teacher",
 * "as a consultant", "I used to be a journalist", "SDR here", "my coding background". Those
 * words name the path the answer must be about, so they count double.
 */
const BACKGROUND_WEIGHT = 2;
/** The words guidance uses for someone's past work in general. */
export const GENERAL_BACKGROUND_STEMS: readonly string[] = ['background', 'discipline', 'career'].map((w) => stem(w));
/** Cues that name the asker's job ("I'm a nurse", "worked as a chef"): a role, whatever the word. */
const ROLE_CUES = [
  /\b(?:i am|i'm|im|i was|i've been|i have been|used to be|used to work as|i worked as|i work as|trained as)\s+(?:\d{1,2}(?:\s+years?\s+old)?(?:,|\s+and)\s+)?(?:an?|the)\s+((?:[\w/-]+\s+){0,3}[\w/-]+)/gi,
  // "As a teacher, ..." names a background only at the start of a clause; mid-sentence it
  // usually names the goal ("hire me as a PM", "the hardest part of being a PM"). Chat
  // drops the subject: "been a project lead for 8 yrs", "worked as a nurse".
  /(?:^|[.!?,;:]\s+)(?:as|being|been|worked as|work as)\s+(?:an?|the)\s+((?:[\w/-]+\s+){0,3}[\w/-]+)/gi,
  // "Paralegal here, 8 years.": chat's way of saying "I'm a paralegal", opening a sentence and
  // ending a clause ("any recipes here?" asks about the guide).
  /(?:^|[.!?;:]\s+)((?:[\w/-]+\s+){0,2}[\w/-]+)\s+here(?=\s*(?:[,.!;:]|[-–—]\s|$))/gi,
  // A role held before is a background wherever it is said: "Ex-military, 10 years.", "my edge as a former pilot".
  /\b(?:ex-|former\s+)((?:[\w/]+\s+){0,2}[\w/]+)/gi,
  // The asker described as someone else, on their way to another role: "the best first move
  // for a junior accountant who wants to be a PM" ("a beginner who wants to learn piano" is
  // not on the way anywhere).
  /\bfor\s+(?:an?|someone like an?)\s+((?:[\w/-]+\s+){0,3}?[\w/-]+)\s+(?:who|that)\s+(?:wants?|hopes?|plans?|would like|is trying|is looking)\s+to\s+(?:be|become|get|move|switch|transition|pivot|break)\b/gi,
];
/** Looser cues to a background than a role ("I'm in retail", "any recipes here?", "my coding background"). */
const OTHER_BACKGROUND_CUES = [
  /\b(?:i work in|i worked in|(?<=\b(?:and|but|also)\s+)work(?:ed)? in|i'm in|i am in|(?:i've |i have |(?<=(?:^|[.!?,;:]\s*))\s*)been in|background in|coming from|i come from|career in|years in|degree in|studied|majored in)\s+((?:[\w/-]+\s+){0,1}[\w/-]+)/gi,
  // "I manage a restaurant", "I run a bakery": the business someone runs is where they come from.
  /\bi (?:manage|managed|run|ran|own|owned) (?:an?|my|the|our)\s+((?:[\w/-]+\s+){0,1}[\w/-]+)/gi,
  // "an English degree", "my law degree": what someone studied is part of where they come from.
  /\b(?:an?|my)\s+((?:[\w/-]+\s+){0,1}[\w/-]+\s+degree)\b/gi,
  /\b((?:[\w/-]+\s+){0,2}[\w/-]+)\s+here\b/gi,
  /\bmy\s+((?:[\w/-]+\s+){0,1}[\w/-]+)\s+(?:background|experience|career|skills)\b/gi,
  // Where a move starts: "go from QA testing to product manager", "switching from sales into PM".
  /\b(?:go|goes|going|went|move|moves|moving|moved|switch|switches|switching|switched|transition|transitioning|pivot|pivoting|jump|jumping|get|getting)\s+from\s+((?:[\w/-]+\s+){0,1}[\w/-]+)(?=\s+(?:to|into)\b)/gi,
];

/** Stems of the asker's background words: roles ("I'm a pilot") and looser cues ("SDR here"). */
export function backgroundStems(text: string): string[] {
  return headStems([...cuedNouns(text, ROLE_CUES), ...cuedNouns(text, OTHER_BACKGROUND_CUES)]);
}

const PERSON_NOUNS = new Set([
  'guy',
  'gal',
  'girl',
  'person',
  'man',
  'woman',
  'lady',
  'dude',
  'folks',
  'people',
  'type',
]);

/**
 * The noun phrases the cues name, up to the first function word, as the words of each of
 * their tokens: "senior flight attendant", "shift supervisor" (of "shift supervisor at a
 * plant"). A hyphenated compound is one token, function words and all: "stay-at-home parent".
 */
function cuedNouns(text: string, cues: readonly RegExp[]): string[][][] {
  const out: string[][][] = [];
  for (const cue of cues)
    for (const match of text.matchAll(cue)) {
      const tokens = match[1]!.split(/\s+/).map((token) => words(token));
      const ends = (token: string[], i: number) =>
        token.every((w) => isStopword(w)) || (i > 0 && startsClause(token, tokens[i + 1]));
      const cut = tokens.findIndex(ends);
      out.push((cut < 0 ? tokens : tokens.slice(0, cut)).filter((token) => token.length > 0));
    }
  return out;
}

/**
 * Whether a token after the first starts a clause about the noun before it rather than
 * going on with the noun: a participle followed by a function word ("a teacher *thinking*
 * about PM", "a nurse *working* in Leeds"). "a *marketing* manager" goes on.
 */
function startsClause(token: string[], next: string[] | undefined): boolean {
  const word = token.at(-1) ?? '';
  return /[a-z]{3}ing$/.test(word) && (next === undefined || next.every((w) => isStopword(w)));
}

/**
 * Where the head of such a phrase is: its last token, except a word for any person, which
 * names no job ("sales guy here", "a marketing person": the token before it).
 */
function headAt(noun: string[][]): number {
  return noun.length > 1 && PERSON_NOUNS.has(noun.at(-1)!.at(-1)!) ? noun.length - 2 : noun.length - 1;
}

/** The heads of such noun phrases: "senior flight attendant" -> attendant. */
function headStems(nouns: string[][][]): string[] {
  const out: string[] = [];
  for (const noun of nouns) {
    const head = noun[headAt(noun)]?.at(-1);
    if (head && !isStopword(head)) out.push(stem(head));
  }
  return out;
}

/** The words before their heads, which say what kind of background it is: "QA" of "I'm a QA tester". */
function modifierStems(nouns: string[][][]): string[] {
  const out: string[] = [];
  for (const noun of nouns)
    for (const word of noun.slice(0, Math.max(0, headAt(noun))).flat()) if (!isStopword(word)) out.push(stem(word));
  return out;
}

/** IDF-weighted, credit-weighted share of the query terms found in a set of stems, in [0, 1]. */
export function coverage(terms: QueryTerm[], stems: ReadonlySet<string>): number {
  let total = 0;
  let found = 0;
  for (const term of terms) {
    total += term.idf;
    let best = 0;
    for (const [match, credit] of term.matches) if (credit > best && stems.has(match)) best = credit;
    found += term.idf * best;
  }
  return total > 0 ? found / total : 0;
}
