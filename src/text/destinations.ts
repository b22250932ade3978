import { contentTerms, isStopword, stem } from './analyze.ts';
import { isRequestWord } from './discourse.ts';
import { looksLikeQualifier } from './word-shape.ts';

/**
 * Career moves in plain English: where a text says someone goes, and where from. The goal of
 * "become" ("become a data analyst"), of a verb or noun of motion ("switch into a data
 * scientist role", "the move to product"), of "a job as a data analyst", and of any "from X
 * to Y". The guide's own headings say where it goes ("Transition from Design to Product
 * Management": from design, to product management); a question that asks how to become
 * something else ("How do I become a UX designer?", "How do I move from product management
 * into data science?") is not about the guide, however many of its words the guide uses
 * (outcome.ts). General English only: no word of any domain.
 */
export interface Move {
  /** Stems of where the move starts ("from X", "as a X"); empty when not said. */
  from: string[];
  /** Stems of where it goes; empty when not said. */
  to: string[];
  /** The goal names a role someone takes on ("a data scientist role", "an analyst"), not a place or a field. */
  toRole: boolean;
  /** The goal as written, for a reason a person reads. */
  toText: string;
  /** Becoming better at a role, not a new one ("become a better communicator as a PM"). */
  improves: boolean;
}

const MOTION: ReadonlySet<string> = new Set(
  `move moves moving moved switch switches switching switched transition transitions transitioning transitioned
  pivot pivots pivoting pivoted shift shifts shifting shifted jump jumps jumping jumped leap leaps leaping go goes
  going went get gets getting got break breaks breaking broke transfer transfers transferring transferred change
  changes changing changed step steps stepping progress progressing head heading path route`.split(/\s+/),
);
const BECOME: ReadonlySet<string> = new Set(['become', 'becomes', 'becoming', 'became']);
/** Words whose "as a ..." is a role taken on ("a job as a data analyst"), not the one held ("as a teacher, ..."). */
const TAKES_ROLE_AS: ReadonlySet<string> = new Set(
  'job jobs role roles position positions career careers work working hired employed certified qualified'.split(' '),
);
/** Nouns for a place in working life, which say nothing of which one ("into a new role"). */
const CAREER_NOUNS: ReadonlySet<string> = new Set(
  'role roles job jobs position positions career careers field fields post gig title'.split(' '),
);
/** Words of worth, rank or time that qualify a role without naming one ("a better PM", "a senior role"). */
const QUALIFYING: ReadonlySet<string> = new Set(
  `new different good better best great greater real proper right next first full time part entry level senior
  junior lead top strong stronger`.split(/\s+/),
);
/** Words after a goal that make it a step on the way, not the goal ("become a consultant first"). */
const ON_THE_WAY: ReadonlySet<string> = new Set(['first', 'before', 'then', 'temporarily']);
const ARTICLES: ReadonlySet<string> = new Set(['a', 'an']);
const DETERMINERS: ReadonlySet<string> = new Set(
  'a an the my your our their his her its this that some another any'.split(' '),
);
const GOAL_PREPOSITIONS: ReadonlySet<string> = new Set(['to', 'into', 'onto']);
/** Shaped like a noun for who does something: designer, scientist, analyst, consultant, librarian. */
const AGENT_NOUN = /[a-z]{3}(?:er|or|ist|yst|ian|ant)s?$/;
const MAX_PHRASE_WORDS = 4;
/** Marks a break in the text (punctuation): no phrase runs across it. */
const BREAK = '|';

interface Phrase {
  words: string[];
  article: boolean;
  end: number;
}

/** The moves a text describes, in order (see Move). */
export function movesIn(text: string): Move[] {
  const tokens = tokensOf(text);
  const moves: Move[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]!;
    if (BECOME.has(word)) {
      const goal = phraseAt(tokens, i + 1);
      const aRole = goal.article || AGENT_NOUN.test(goal.words.at(-1) ?? '');
      // Becoming a better one of what one is ("become a better analyst") goes to that role too.
      if (aRole && !onTheWay(tokens, goal)) moves.push(move(sourceAfter(tokens, goal.end), goal, true));
    } else if (TAKES_ROLE_AS.has(word) && tokens[i + 1] === 'as') {
      const goal = phraseAt(tokens, i + 2);
      if (goal.words.length > 0 && !onTheWay(tokens, goal)) moves.push(move([], goal, true));
    } else if (MOTION.has(word) || word === 'from') {
      let j = i + (word === 'from' ? 0 : 1);
      while (tokens[j] === 'over' || tokens[j] === 'back' || CAREER_NOUNS.has(tokens[j] ?? '')) j++;
      const start = tokens[j] === 'from' ? phraseAt(tokens, j + 1) : null;
      if (start) j = start.end;
      if (!GOAL_PREPOSITIONS.has(tokens[j] ?? '') || (word === 'from' && !start?.words.length)) continue;
      const goal = phraseAt(tokens, j + 1);
      if (goal.words.length === 0 || onTheWay(tokens, goal)) continue;
      // Without a verb of motion, "from ... to ..." is a career move only between roles ("from
      // teacher to PM"), not any span ("take a product from idea to launch").
      const toRole = namesARole(goal.words);
      if (word === 'from' && !toRole && !namesARole(start?.words ?? [])) continue;
      moves.push(move(start?.words ?? [], goal, toRole));
      i = goal.end - 1;
    }
  }
  return moves;
}

/**
 * A text's words, lower-cased, possessive "'s" dropped, with BREAK for punctuation that ends a
 * phrase. Plain English words only (no accent folding, as words() does): a move is said in
 * them, and one pass over the text keeps this cheap on every question.
 */
function tokensOf(text: string): string[] {
  const tokens: string[] = [];
  for (const [, word] of text.toLowerCase().matchAll(TOKEN))
    tokens.push(word === undefined ? BREAK : word.endsWith("'s") || word.endsWith('’s') ? word.slice(0, -2) : word);
  return tokens;
}
const TOKEN = /([\p{L}\p{N}]+(?:['’]\p{L}+)*)|[,;:()!?.\n]|\s[-–—]\s/gu;

/** Where a corpus's headings say its readers go, and where they come from. */
export interface CorpusMoves {
  /**
   * The stems of the goals the headings move to, less those of where they start ("Transition
   * from Project Manager to Product Manager" goes to "product", not to "manager", which is
   * also where it starts). Empty for a corpus whose headings describe no move: then no
   * question is judged by where it goes.
   */
  destination: ReadonlySet<string>;
  /** The stems of where the headings' moves start, less the destination's ("design", "sale"). */
  origins: ReadonlySet<string>;
  /** Every content stem of the headings: what some part of the corpus is about. */
  headed: ReadonlySet<string>;
}

export function corpusMoves(headings: Iterable<string>): CorpusMoves {
  const goals = new Set<string>();
  const starts = new Set<string>();
  const headed = new Set<string>();
  for (const heading of headings) {
    for (const s of contentTerms(heading)) headed.add(s);
    for (const m of movesIn(heading)) {
      for (const s of m.to) goals.add(s);
      for (const s of m.from) starts.add(s);
    }
  }
  const destination = new Set([...goals].filter((s) => !starts.has(s)));
  return { destination, origins: new Set([...starts].filter((s) => !destination.has(s))), headed };
}

/** Stems of a goal that name which one it is: not a bare "role", nor "a new" or "a senior" one. */
export function specificStems(stems: readonly string[]): string[] {
  return stems.filter((s) => !CAREER_NOUN_STEMS.has(s) && !QUALIFYING_STEMS.has(s));
}
const CAREER_NOUN_STEMS = new Set([...CAREER_NOUNS].map(stem));
const QUALIFYING_STEMS = new Set([...QUALIFYING].map(stem));

/** A role: who does it ("a data analyst"), or a job named by who does it ("a data scientist role"), not "a tech job". */
function namesARole(phrase: readonly string[]): boolean {
  const head = phrase.at(-1) ?? '';
  return AGENT_NOUN.test(head) || (CAREER_NOUNS.has(head) && phrase.slice(0, -1).some((w) => AGENT_NOUN.test(w)));
}

/** "Becoming a Product Manager *as an Engineer*": where that move starts. */
function sourceAfter(tokens: readonly string[], at: number): string[] {
  return tokens[at] === 'as' ? phraseAt(tokens, at + 1).words : [];
}

function onTheWay(tokens: readonly string[], phrase: Phrase): boolean {
  return ON_THE_WAY.has(tokens[phrase.end] ?? '');
}

function move(from: readonly string[], goal: Phrase, toRole: boolean): Move {
  return {
    improves: goal.words.some((w) => QUALIFYING.has(w) || looksLikeQualifier(w)),
    from: from.filter((w) => !looksLikeQualifier(w)).map(stem),
    to: goal.words.filter((w) => !looksLikeQualifier(w)).map(stem),
    toRole,
    toText: goal.words.join(' '),
  };
}

/** The content words from `at` on, after a determiner, up to the next function word or break. */
function phraseAt(tokens: readonly string[], at: number): Phrase {
  let i = at;
  let article = false;
  if (DETERMINERS.has(tokens[i] ?? '')) {
    article = ARTICLES.has(tokens[i]!);
    i++;
  }
  const phrase: string[] = [];
  while (i < tokens.length && phrase.length < MAX_PHRASE_WORDS) {
    const word = tokens[i]!;
    // A word asking for a kind of answer ends it: "the move to product *worth* it?".
    if (word === BREAK || isStopword(word) || ON_THE_WAY.has(word) || isRequestWord(word)) break;
    phrase.push(word);
    i++;
  }
  return { words: phrase, article, end: i };
}
