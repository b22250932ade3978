import { isStopword, stem, words } from './analyze.ts';

/**
 * The noun phrases a question asks about, and their heads: "What books should I read?" ->
 * books; "a realistic next step for a newcomer" -> step, newcomer; "the most common PM
 * interview questions" -> questions, with common, PM and interview in the phrase. A question
 * names what it asks in such phrases, so when the guide has no word for one of their heads,
 * or for another noun of one of them, it does not say the thing asked, however many of the
 * other words it has (outcome.ts). The asker's story around the question ("I'm a teacher in
 * Ohio, how do I...") is not in the asked clause.
 *
 * Plain English grammar, no tagger: a phrase opens at a determiner, a wh-word, a preposition
 * or after the verb of "do I <verb>", runs over content words, and ends at the next function
 * word or punctuation; its head is its last content word.
 */
const OPENERS: ReadonlySet<string> = new Set(
  `a an the my your our their his her its this these those what which whose any some every each another no most many all several few both
  about for of into in on with from at by without like than between among inside outside within across toward towards via
  around beyond behind near throughout despite against along upon during after before over under through`.split(/\s+/),
);
const OBJECT_PRONOUNS: ReadonlySet<string> = new Set([
  'me',
  'you',
  'him',
  'her',
  'us',
  'them',
  'myself',
  'yourself',
  'ourselves',
  'themselves',
]);
const ASKING_AUXILIARIES: ReadonlySet<string> = new Set([
  'do',
  'does',
  'can',
  'could',
  'should',
  'would',
  'will',
  'shall',
  'may',
  'might',
  'must',
]);
const SUBJECTS: ReadonlySet<string> = new Set(['i', 'you', 'we', 'they', 'one']);

/** Prepositions that name where a verb of motion goes: its goal is what it acts on. */
const GOAL_PREPOSITIONS: ReadonlySet<string> = new Set(['to', 'into', 'onto']);
const INDEFINITE: ReadonlySet<string> = new Set(['a', 'an']);
/** Verbs followed by a to-infinitive, not a goal: "what would I need *to* learn", "I want to move". */
const TAKES_INFINITIVE: ReadonlySet<string> = new Set(
  `need needs needed want wants wanted try tries tried trying plan plans planning hope hoping decide decided learn
  learning start starting begin beginning going able like love prefer afford expect intend aim aiming seem ought
  have has had used`.split(/\s+/),
);

/**
 * Whether the word at `i` is a preposition naming a goal ("switch *to* Android"), not the "to"
 * of an infinitive, whose verb takes its own object ("consulting *to* improve my chances",
 * "trying to get into PM").
 */
function opensGoal(tokens: string[], i: number): boolean {
  const word = tokens[i] ?? '';
  if (!GOAL_PREPOSITIONS.has(word)) return false;
  if (word === 'to' && TAKES_INFINITIVE.has(tokens[i - 1] ?? '')) return false;
  if (word !== 'to' || DETERMINERS.has(tokens[i + 1] ?? '')) return true;
  // An indefinite article after the goal starts what is said of it ("moving to Berlin *a* good idea?").
  const afterNext = tokens[i + 2] ?? '';
  const verbTakesObject = (DETERMINERS.has(afterNext) && !INDEFINITE.has(afterNext)) || OBJECT_PRONOUNS.has(afterNext);
  return !(verbTakesObject || GOAL_PREPOSITIONS.has(afterNext));
}

const COPULAS: ReadonlySet<string> = new Set(['is', 'are', 'was', 'were']);
const SUPERLATIVES: ReadonlySet<string> = new Set(['most', 'least']);
const PARTITIVES: ReadonlySet<string> = new Set(
  'part parts kind kinds type types aspect aspects bit bits piece pieces element elements area areas side sides'.split(
    ' ',
  ),
);

/** Verbs that are also stop words, for the little they say on their own: "how do I get better sleep". */
const LIGHT_VERBS: ReadonlySet<string> = new Set(['get', 'have']);

/** Whether the word at `i` is the verb of an asked "<auxiliary> <subject> <verb>": "(how) do I write". */
function opensObject(tokens: string[], i: number): boolean {
  const verb = tokens[i]!;
  return (
    i >= 2 &&
    ASKING_AUXILIARIES.has(tokens[i - 2]!) &&
    SUBJECTS.has(tokens[i - 1]!) &&
    (!isStopword(verb) || LIGHT_VERBS.has(verb))
  );
}
/** Words that open a question clause: the clause that asks, among those that tell. */
const ASKING =
  /^(?:how|what|which|who|whom|whose|why|when|where|is|are|am|was|were|do|does|did|can|could|should|would|will|shall|may|might|must|have|has|any|anyone|tips?)$/;

/** Openers that begin a verb's direct object ("change *the* oil"), not a prepositional phrase. */
const DETERMINERS: ReadonlySet<string> = new Set(
  'a an the my your our their his her its this these those what which whose any some every each another no most many all several few both'.split(
    ' ',
  ),
);

/**
 * The noun phrases of a question's asked clause, as stems: their heads, and every content
 * word in them ("the most common PM interview questions": heads questions; words common, pm,
 * interview, questions); and what the asked verb acts on: its direct object ("how do I change
 * the oil": change -> oil) or, for a verb of motion, where it goes ("should I switch to
 * Android": switch -> android; "is moving to Berlin a good idea": moving -> berlin).
 */
export function askedPhrases(
  question: string,
  sentences: readonly string[] = sentencesOf(question),
): {
  heads: Set<string>;
  words: Set<string>;
  objects: Map<string, string[]>;
} {
  const heads = new Set<string>();
  const members = new Set<string>();
  const objects = new Map<string, string[]>();
  const clause = askedClause(sentences[askingAt(sentences)] ?? '');
  let inPhrase = false;
  let head: string | null = null;
  let objectOf: string[] | null = null;
  // A verb of motion whose start comes before its goal: "switch from iPhone *to* Android".
  let awaitingGoal: string[] | null = null;
  const close = () => {
    if (head) heads.add(stem(head));
    inPhrase = false;
    head = null;
    objectOf = null;
  };
  const tokens = words(clause);
  tokens.forEach((word, i) => {
    const verbAwaits = objectOf !== null && head === null;
    if (word === 'from' && verbAwaits) awaitingGoal = objectOf;
    const goal = (verbAwaits || awaitingGoal !== null) && opensGoal(tokens, i);
    // The subject of a yes-no question opens after its verb: "Is *remote PM work* common?".
    const opensSubject = i === 0 && COPULAS.has(word);
    // A superlative inside a phrase is part of it: "the single *most* important skill".
    if (inPhrase && head !== null && SUPERLATIVES.has(word)) return;
    // A word for a share of something is no head: "what *parts* of that", "which *aspects* of PM".
    if (word === 'of' && head !== null && PARTITIVES.has(head)) head = null;
    if (OPENERS.has(word) || goal || opensSubject) {
      // A determiner opens the verb's object ("change *the* oil"); so does the preposition of a
      // verb of motion, whose goal is what it acts on ("switch *to* Android", "move *into* PM"),
      // also after where it starts ("switch from iPhone *to* Android").
      const object = verbAwaits && (DETERMINERS.has(word) || goal) ? objectOf : goal ? awaitingGoal : null;
      if (goal) awaitingGoal = null;
      close();
      inPhrase = true;
      objectOf = object;
    } else if (!isStopword(word) && /ing$/.test(word) && (opensGoal(tokens, i + 1) || tokens[i + 1] === 'from')) {
      // A gerund with its goal ("is *moving* to Berlin a good idea"): a verb, and the goal its object.
      close();
      objectOf = [];
      objects.set(stem(word), objectOf);
    } else if (opensObject(tokens, i)) {
      // The verb of "how do I <verb> <object>": its object is a phrase ("write good OKRs"),
      // unless another verb follows ("start connecting").
      close();
      inPhrase = !/ing$/.test(tokens[i + 1] ?? '');
      if (inPhrase) {
        objectOf = [];
        objects.set(stem(word), objectOf);
      }
    } else if (isStopword(word) || /^\d/.test(word) || OBJECT_PRONOUNS.has(tokens[i + 1] ?? '')) {
      // A word with an object pronoun after it is a verb ("a side project help me"): the phrase ended before it.
      close();
    } else if (inPhrase) {
      head = word;
      members.add(stem(word));
      objectOf?.push(stem(word));
    }
  });
  close();
  return { heads, words: members, objects };
}

/**
 * A question's sentences. A short label before a colon that opens it or one of its
 * sentences ("Career question:", "Quick q:") is a sentence of its own: it files the question
 * under a heading, and the question after it says what is asked.
 */
export function sentencesOf(question: string): string[] {
  return question
    .split(/(?<=[.!?])\s+|\n+/)
    .filter((s) => s.trim())
    .flatMap(labelOff)
    .flatMap(tellingLeadOff);
}

const LABEL = /^(\s*[^\s.!?:]+(?:\s+[^\s.!?:]+){0,2}:)\s+(?=\S)/;
function labelOff(sentence: string): string[] {
  const label = LABEL.exec(sentence)?.[1];
  return label ? [label, sentence.slice(label.length).trimStart()] : [sentence];
}

/**
 * A sentence that opens with a clause that tells and goes on to ask ("For my career growth,
 * what should I eat...?", "Since I'm leaving my job, should I...?") is two: the clause that
 * tells, and the question.
 */
function tellingLeadOff(sentence: string): string[] {
  const comma = /,\s+/g;
  for (let match = comma.exec(sentence); match; match = comma.exec(sentence)) {
    const lead = sentence.slice(0, match.index + 1);
    const rest = sentence.slice(match.index + match[0].length);
    if (opensQuestion(rest)) return opensQuestion(lead) ? [sentence] : [lead, rest];
  }
  return [sentence];
}

function opensQuestion(clause: string): boolean {
  return ASKING.test(FIRST_WORD.exec(clause)?.[1]?.toLowerCase() ?? '');
}
const FIRST_WORD = /^[^\p{L}]*(\p{L}+)/u;

/** Where the sentence that asks is: the question's last with a question mark, else its last. */
export function askingAt(sentences: readonly string[]): number {
  const at = sentences.findLastIndex((s) => s.includes('?'));
  return at >= 0 ? at : sentences.length - 1;
}

/** The clause of the asking sentence that asks (not one that tells: "I'm a teacher, how do I..."). */
function askedClause(sentence: string): string {
  const clauses = sentence.split(/[,;:()]|\s[-–—]\s/).filter((c) => c.trim());
  return clauses.find(opensQuestion) ?? clauses.at(-1) ?? sentence;
}
