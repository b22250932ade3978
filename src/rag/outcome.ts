import { type AmountKind, unmetAnswerType } from './answer-type.ts';
import { contentTerms } from '../text/analyze.ts';
import { askerVerb, asksAboutWhatCameBefore, isRequestWord } from '../text/discourse.ts';
import { type CorpusMoves, movesIn, specificStems } from '../text/destinations.ts';
import { askedPhrases, askingAt, sentencesOf } from '../text/noun-phrases.ts';
import { looksLikeQualifier } from '../text/word-shape.ts';
import {
  GENERAL_BACKGROUND_STEMS,
  isAsked,
  isLooselyBacked,
  matchesAny,
  type QueryTerm,
  SYNONYM_CREDIT,
} from './query-terms.ts';
import { combineSignals, SUPPORT_THRESHOLD, SUPPORT_WEIGHTS, supportSignals } from './support.ts';
import type { Passage, Support } from './types.ts';

/**
 * How far the guide answers a question, decided from the question model (each word's
 * evidence and role, see query-terms.ts) and what retrieval found, by three plain rules:
 * - `answered`: the question is on the guide's topic (below), retrieval support clears the
 *   calibrated threshold, every word that names what is asked has evidence in the corpus, and
 *   the passages state the kind of thing asked for (an amount for "how much", one of the
 *   alternatives for "X or Y");
 * - `related`: otherwise, when the question is still on the guide's topic: it names something
 *   the documents' titles name, most of what it asks has evidence, and the passages
 *   support that part ("How long does the switch take?", "Which books should I read to
 *   become a PM?");
 * - `none`: nothing in the guide is about it, or it asks how to get somewhere the guide's
 *   headings never go ("How do I become a UX designer?" of a guide to moving into product).
 * What is asked is read from the question's shape: the story told before it ("I'm a nurse in
 * Leeds.") sets the scene but is not asked, and lends the question its topic only when the
 * question asks nothing else or points back at it ("Does that count?", "Any tips?").
 * Attempts to override the assistant are `none` before any of this (see answer-question.ts).
 */
export interface OutcomeDecision {
  support: Support;
  /** Why, in a few words (for `npm run eval -- --explain` and the logs). */
  reason: string;
  /** For `related`: the words the guide lacks, as the asker typed them. */
  missing: string[];
  /** For `related`: the amount the question asks for and no passage states. */
  unmetAmount: AmountKind | null;
  /** Retrieval support (calibrated scale), and support counting only what the guide has. */
  score: number;
  relatedScore: number;
}

/**
 * The least support for a question to count as on the guide's topic, counting only the
 * words the guide has (no penalty for the ones it lacks). Below the answer threshold on
 * purpose: a near-topic question is shown the closest statements, with a plain note.
 */
const RELATED_THRESHOLD = 0.05;
/** The least share of the asked words that must have evidence (the word or a synonym) for a question to be on topic. */
const ON_TOPIC_SHARE = 0.5;

/**
 * What the corpus names: its documents' titles (its topic), every heading (what some part of
 * it is about), and where its headings say a reader goes (see destinations.ts).
 */
export interface CorpusNames {
  topicStems: ReadonlySet<string>;
  headingStems: ReadonlySet<string>;
  moves: CorpusMoves;
}

export function decideOutcome(
  question: string,
  passages: Passage[],
  terms: QueryTerm[],
  corpus: CorpusNames,
): OutcomeDecision {
  const shape = questionShape(question, terms);
  // The one word of a question that names nothing itself says what kind of answer it wants
  // ("Any *tips*?"): that the guide does not use it is no gap.
  const signals = supportSignals(
    passages,
    shape.namesNothingItself ? terms.filter((t) => !(shape.ownStems.has(t.stem) && isLooselyBacked(t))) : terms,
  );
  const score = passages.length ? combineSignals(signals, SUPPORT_WEIGHTS) : 0;
  const relatedScore = passages.length ? combineSignals({ ...signals, unknown: 0, loose: 0 }, SUPPORT_WEIGHTS) : 0;
  const asked = terms.filter(isAsked);
  // What the question names that the guide has no word for: the head of one of its asked noun
  // phrases (a loose WordNet relative is not a word for it), another noun of such a phrase the
  // corpus has never seen ("PM *interview* questions", "fully *remote* jobs"), or one of what
  // the asked verb acts on that the guide has only a relative for ("negotiate *stock*
  // options"). Words shaped like qualifiers are not names ("the *biggest* gap", "a *realistic*
  // step"), nor are scraps such as "w/". A word only WordNet calls an adjective
  // (`t.qualifier`) may be one: "remote".
  const phrases = askedPhrases(question, shape.sentences);
  const objectWords = new Set([...phrases.objects.values()].flat());
  const namesWhatIsAsked = (t: QueryTerm) =>
    phrases.heads.has(t.stem) ||
    ((t.evidence === 'none' || objectWords.has(t.stem)) &&
      t.word.length > 2 &&
      phrases.words.has(t.stem) &&
      !looksLikeQualifier(t.word));
  const missing = asked
    .filter((t) => t.role === 'topic' && isLooselyBacked(t) && namesWhatIsAsked(t))
    // A question that names nothing itself asks for a kind of answer ("Any tips?"), not about a thing.
    .filter((t) => !(shape.namesNothingItself && shape.ownStems.has(t.stem)))
    .map((t) => asTyped(t.word, question));
  // Counted, not weighted by IDF: the words every passage uses ("product", "PM") are the
  // surest sign of being on the guide's topic, and IDF gives them almost no weight. Over the
  // question sentence when it has asked words: a long story before it is told, not asked.
  // A qualifier the guide lacks ("is this a *crazy* idea?") says nothing about the topic, nor
  // does the asker's background, which is where they come from, not what they ask ("Do my
  // *hospitality* skills count?"). A question that names nothing itself is about the sentence
  // before it, whose words are counted instead: "I'm a teacher. Any tips?" asks about the
  // background alone, "I'm a baker who loves sourdough. Any tips?" about sourdough.
  const { story } = shape;
  // A verb names nothing when what it acts on is something the guide never mentions: "How
  // often should I change the oil?" is about oil, whatever "change" means in the guide; nor is
  // it evidence that the guide has what is asked ("learn *piano*").
  const byStem = new Map(asked.map((t) => [t.stem, t]));
  const actsOnTheUnknown = (t: QueryTerm) =>
    (phrases.objects.get(t.stem) ?? []).some((m) => {
      const object = byStem.get(m);
      return (
        object !== undefined && isLooselyBacked(object) && object.word.length > 2 && !looksLikeQualifier(object.word)
      );
    });
  const countable = (t: QueryTerm) => t.role !== 'background' && !(t.qualifier && isLooselyBacked(t));
  const counted = shape.namesNothingItself
    ? asked.filter((t) => shape.pointedAt.has(t.stem) && countable(t))
    : asked.filter((t) => !story.has(t.stem) && countable(t));
  const backedShare = counted.length
    ? counted.filter((t) => !isLooselyBacked(t) && !actsOnTheUnknown(t)).length / counted.length
    : shape.namesNothingItself
      ? 1
      : 0;

  const unmet = unmetAnswerType(
    question,
    passages.map((p) => p.chunk.text),
    terms,
  );
  const unmetAmount = unmet.amount;
  const unnamedChoice = unmet.choice;

  const decision = (support: Support, reason: string): OutcomeDecision => ({
    support,
    reason,
    missing: support === 'related' ? missing : [],
    unmetAmount: support === 'related' ? unmetAmount : null,
    score,
    relatedScore,
  });
  // On topic: the question names (itself or by a synonym) something the documents' titles name.
  // The story told before the question lends it its words for that only when the question asks
  // nothing the guide lacks ("I'm a nurse. What should I do first?"), or when it points back at
  // the sentence just before it, which then lends its own ("I'm a civil engineer. Does that
  // count?"). Otherwise the question must name the topic itself: "I work in sales. How do I hit
  // my quota this quarter?" asks about a quota, and the guide's sales section does not make it
  // a question about moving into product.
  const asksOnlyWhatTheGuideHas = counted.every((t) => !isLooselyBacked(t));
  const lent = asksOnlyWhatTheGuideHas ? story : shape.pointedAt;
  const naming = asked.filter((t) => !story.has(t.stem) || lent.has(t.stem));
  const names = (stems: ReadonlySet<string>, terms = naming) =>
    terms.some((t) => namesStems(t, stems) && !actsOnTheUnknown(t));
  // The asker's own background counts when a heading names it ("I'm a pilot": a heading
  // "Pilots"). Any background also stands, loosely, for backgrounds in general, which a title
  // or heading may be about ("I'm a pilot", "I'm a QA tester" where no heading names testers).
  // That weak a link counts only when the guide has everything else the question asks ("I'm a
  // nurse. Am I stuck?", "I'm a tester. Any tips?", not "I'm a nurse. How long does recovery
  // take?"), or when the question points back at the background to ask about it ("I'm a
  // pharmacist. Is that a good starting point?").
  const looseLinkCounts = asksOnlyWhatTheGuideHas || (shape.pointsBack && !shape.namesNothingItself);
  const namesBackground = (stems: ReadonlySet<string>, terms = naming) =>
    terms.some(
      (t) =>
        t.role === 'background' &&
        ([...t.matches].some(([m, credit]) => stems.has(m) && (credit >= SYNONYM_CREDIT || looseLinkCounts)) ||
          (looseLinkCounts && GENERAL_BACKGROUND_STEMS.some((general) => stems.has(general)))),
    );
  // Asked what a phrase of the guide's own means, the question is about what its passage is
  // about, whether or not a title or heading names it ("What is a rotational program?").
  const asking = shape.sentences[askingAt(shape.sentences)] ?? question;
  const usesGuidePhrase = namesPassagePhrase(asking, asked, passages);
  const namesTopic = (terms = naming) =>
    usesGuidePhrase ||
    names(corpus.topicStems, terms) ||
    namesBackground(corpus.topicStems, terms) ||
    namesBackground(corpus.headingStems, terms);
  const onTopic = namesTopic() && relatedScore >= RELATED_THRESHOLD && backedShare >= ON_TOPIC_SHARE;
  // How to get somewhere the guide does not go is not about the guide, whatever else it says.
  const elsewhere = goesElsewhere(asking, terms, corpus.moves);
  if (elsewhere !== null) return decision('none', `asks how to get to “${elsewhere}”, where the guide does not go`);
  // Answered: supported, and naming something a heading names (a question that shares only
  // everyday words with some passage, "Can you tell my fortune?", is not about the guide). A
  // question that points back names little itself ("Where do I start?" names a heading's
  // "start"): with what it points at, it must name the guide's topic ("I want to learn the
  // violin. Where do I start?" does not).
  const fullyAnswered = score >= SUPPORT_THRESHOLD && !unmetAmount && !unnamedChoice && missing.length === 0;
  if (
    fullyAnswered &&
    (usesGuidePhrase || names(corpus.headingStems) || namesBackground(corpus.headingStems)) &&
    (!shape.pointsBack || namesTopic())
  )
    return decision('answered', 'supported');
  if (!onTopic) {
    return decision(
      'none',
      !namesTopic() && namesTopic(asked)
        ? 'only the story around the question is on topic'
        : score < SUPPORT_THRESHOLD
          ? 'not about what the guide covers'
          : 'asks about what the guide never names',
    );
  }
  if (unmetAmount)
    return decision(
      'related',
      `asks for ${unmetAmount === 'count' ? 'a number' : `a ${unmetAmount === 'money' ? 'sum of money' : 'duration'}`} no passage states`,
    );
  if (unnamedChoice) return decision('related', 'asks to choose between things the guide never names');
  if (missing.length > 0) return decision('related', `the guide never mentions ${missing.join(', ')}`);
  return decision('related', 'on topic, but weakly supported');
}

/**
 * Whether a question asks what a phrase means ("What is a rotational program?", "What are
 * user stories?") and the phrase is one of the top passages' own: two words side by side, both
 * ones the guide uses and neither one that runs through the whole corpus. The guide then
 * talks about the very thing asked. Only such a question: a phrase of the guide in another
 * ("Where can I buy a coffee near me?", after "buy them a coffee") names an everyday thing.
 */
function namesPassagePhrase(asking: string, asked: readonly QueryTerm[], passages: readonly Passage[]): boolean {
  const match = ASKS_WHAT_IT_IS.exec(asking);
  const defined = match?.[1] ?? match?.[2];
  if (defined === undefined) return false;
  const distinctive = new Set(
    asked
      .filter((t) => t.evidence === 'word' && t.idf > PERVASIVE_IDF && !QUESTION_WORDS.has(t.word))
      .map((t) => t.stem),
  );
  const stems = contentTerms(defined);
  const pairs = adjacentPairs(stems);
  if (pairs.length === 0 || !stems.every((s) => distinctive.has(s))) return false;
  return passages.slice(0, PHRASE_PASSAGES).some((p) => {
    const inPassage = new Set(adjacentPairs(contentTerms(p.chunk.text)).map(([a, b]) => `${a} ${b}`));
    return pairs.some(([a, b]) => inPassage.has(`${a} ${b}`));
  });
}
/** "What is/are (a|an|the) <phrase>?", "What's a <phrase>?", "What does <phrase> mean?". */
const ASKS_WHAT_IT_IS =
  /^[^\p{L}]*(?:so\s+|and\s+|ok\s+)?(?:what(?:['’]s|\s+is|\s+are)\s+(?:an?\s+|the\s+)?([\p{L}\s'’-]+?)|what\s+does\s+(?:an?\s+|the\s+)?([\p{L}\s'’-]+?)\s+mean)\s*\?*\s*$/iu;
/** How many of the best passages a phrase of the question is looked for in. */
const PHRASE_PASSAGES = 3;

function adjacentPairs(stems: readonly string[]): [string, string][] {
  return stems.slice(1).map((s, i) => [stems[i]!, s]);
}

/**
 * Whether a word names what the corpus is about: it (or a synonym: not a loose relative) is
 * among the given heading stems, or it is one of the words most of the corpus's passages use
 * (a corpus whose headings say little, "Part 3", still has a subject).
 */
function namesStems(term: QueryTerm, stems: ReadonlySet<string>): boolean {
  if (term.evidence === 'word' && term.idf <= PERVASIVE_IDF && !QUESTION_WORDS.has(term.word)) return true;
  return matchesAny([term], stems);
}

/**
 * Where a question's asking sentence wants to go when the guide does not go there: the goal
 * of a move that names a role none of the guide's headings moves to ("How do I become a UX
 * designer?", "switch from marketing into a data scientist role"), the goal of a move that
 * starts where the guide goes ("from product management into data science"), or one where
 * the guide's moves start ("from sales to software engineering", "into a marketing role").
 * The guide's words in such a question are where the asker comes from, or what they leave;
 * a move to somewhere the guide says nothing of ("from teaching to tech") is left to the
 * other rules. Null when the sentence also names where the guide goes ("become a consultant
 * or a PM?"), and for a goal that says nothing of which one it is ("move into their role").
 */
function goesElsewhere(asking: string, terms: readonly QueryTerm[], corpus: CorpusMoves): string | null {
  const { destination, origins, headed: headingStems } = corpus;
  if (destination.size === 0) return null;
  const byStem = new Map(terms.map((t) => [t.stem, t]));
  // A word of a move names a place itself, or through its question term's synonyms.
  const namesAny = (place: ReadonlySet<string>, stems: readonly string[]) =>
    stems.some((s) => place.has(s)) ||
    matchesAny(
      stems.flatMap((s) => byStem.get(s) ?? []),
      place,
    );
  const namesDestination = (stems: readonly string[]) => namesAny(destination, stems);
  // A goal every word of which some heading names, none of them where the guide's moves start,
  // is something the corpus is about (another document's "Accounting basics" for "become an
  // accountant"), wherever the moves of its other headings go.
  const headed = (stems: readonly string[]) => stems.every((s) => headingStems.has(s)) && !namesAny(origins, stems);
  // Becoming better at what one is where the guide goes is no move away ("How do I become a
  // better communicator as a PM?").
  const moves = movesIn(asking).filter((m) => !(m.improves && namesDestination(m.from)));
  const away = moves.find((m) => {
    const specific = specificStems(m.to);
    return (
      specific.length > 0 &&
      !namesDestination(m.to) &&
      !headed(specific) &&
      (m.toRole || namesDestination(m.from) || namesAny(origins, m.to))
    );
  });
  if (!away || moves.some((m) => namesDestination(m.to))) return null;
  const inMoves = new Set(moves.flatMap((m) => [...m.from, ...m.to]));
  return namesDestination(contentTerms(asking).filter((s) => !inMoves.has(s))) ? null : away.toText;
}

/** A word at most this rare (in over a third of the passages) runs through the whole corpus. */
const PERVASIVE_IDF = 1;
/** Interrogatives: frequent in guidance writing ("how to..."), but they name no topic. */
const QUESTION_WORDS: ReadonlySet<string> = new Set(['how', 'what', 'why', 'when', 'where', 'which', 'who']);

/** A word as the question spells it ("PMI" for pmi), or as given when it cannot be found. */
function asTyped(word: string, question: string): string {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return question.match(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu'))?.[0] ?? word;
}

/** A question of one sentence tells no story and points back at nothing. */
const ONE_SENTENCE = {
  story: new Set<string>(),
  pointsBack: false,
  pointedAt: new Set<string>(),
  ownStems: new Set<string>(),
  namesNothingItself: false,
} as const satisfies Omit<QuestionShape, 'sentences'>;

/** How a question tells and asks: its sentences, its story, and how its asking sentence leans on the one before. */
interface QuestionShape {
  sentences: readonly string[];
  /** Stems said only in the sentences that tell, not in those that ask (none when no sentence asks). */
  story: ReadonlySet<string>;
  /** The asking sentence is about the sentence of the question just before it ("Does that count?"): see asksAboutWhatCameBefore. */
  pointsBack: boolean;
  /** The stems of the sentence it points back at (none when it does not). */
  pointedAt: ReadonlySet<string>;
  /** The stems of the asking sentence itself. */
  ownStems: ReadonlySet<string>;
  /**
   * It points back at a sentence that tells, with no word but those that ask for a kind of
   * answer ("Any tips?", "Is it worth it?", "Thoughts?") or the verb of a yes-no question about
   * the asker ("Am I kidding myself?", "Could I pull this off?"): it asks about that sentence.
   * "I'm a chef. Recipes?" names its own subject.
   */
  namesNothingItself: boolean;
}

/** How a question's sentences tell and ask; the asking one is its last with a question mark, else its last. */
function questionShape(question: string, terms: readonly QueryTerm[]): QuestionShape {
  const sentences = sentencesOf(question);
  if (sentences.length <= 1) return { sentences, ...ONE_SENTENCE };
  const stems = sentences.map((s) => contentTerms(s));
  const asks = sentences.map((s) => s.includes('?'));
  const askedStems = new Set(stems.filter((_, i) => asks[i]).flat());
  const story = asks.includes(true) ? stems.filter((_, i) => !asks[i]).flat() : [];
  const at = askingAt(sentences);
  const own = stems[at] ?? [];
  const before = sentences[at - 1];
  const verb = askerVerb(sentences[at]!);
  // "How should I proceed?" asks how to go about what came before: its "how" names nothing.
  const ownNaming = verb === null ? own : own.filter((s) => !QUESTION_WORDS.has(s));
  const pointsBack = before !== undefined && asksAboutWhatCameBefore(sentences[at]!, ownNaming.length);
  return {
    sentences,
    story: new Set(story.filter((s) => !askedStems.has(s))),
    pointsBack,
    pointedAt: new Set(pointsBack ? stems[at - 1] : []),
    ownStems: new Set(own),
    namesNothingItself:
      pointsBack &&
      !before.includes('?') &&
      terms.every(
        (t) =>
          !own.includes(t.stem) ||
          isRequestWord(t.word) ||
          t.qualifier ||
          t.word === verb ||
          QUESTION_WORDS.has(t.word),
      ),
  };
}

/**
 * The one plain sentence a `related` answer opens with: what the guide does not say, in the
 * asker's words where they name it. Not a claim about the subject, only about the guide.
 */
export function notSaidSentence(decision: OutcomeDecision): string {
  if (decision.unmetAmount === 'money') return "The guide doesn't give figures for pay or costs.";
  if (decision.unmetAmount === 'duration') return "The guide doesn't say how long that takes.";
  if (decision.unmetAmount === 'count') return "The guide doesn't give a number for that.";
  if (decision.missing.length > 0) return `The guide doesn't mention ${listOf(decision.missing.map((w) => `“${w}”`))}.`;
  return "The guide doesn't answer that directly.";
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
