import { describe, expect, it } from 'vitest';
import { fitLocalEmbedder, LocalEmbeddings } from '../../src/embeddings/local-embeddings.ts';
import { buildLexicalIndex, corpusVocabulary } from '../../src/index/lexical-index.ts';
import { backgroundStems, isLooselyBacked, queryTerms } from '../../src/rag/query-terms.ts';
import { supportSignals } from '../../src/rag/support.ts';
import type { Passage } from '../../src/rag/types.ts';
import { stem } from '../../src/text/analyze.ts';
import { parseSolrSynonyms } from '../../src/text/solr-synonyms.ts';
import { SynonymTable } from '../../src/text/synonyms.ts';

const corpus = [
  'Sales people know the customer and can gather feedback for the roadmap.',
  'Engineers bring technical depth to a product team.',
  'Marketing managers understand positioning and the market.',
];
/** The owner's synonyms come with the index; here one line of a synonyms.txt. */
const synonyms = SynonymTable.fromRules(parseSolrSynonyms('mktg, marketing'));
const embedder = new LocalEmbeddings(
  { ...fitLocalEmbedder(corpus, 64), related: { [stem('cluster')]: [stem('gather')] } },
  synonyms,
);
const termOf = (question: string, word: string) => queryTerms(question, embedder).find((t) => t.stem === stem(word));

describe('backgroundStems', () => {
  it.each([
    ["I'm a high school teacher, can I become a PM?", 'teacher'],
    ['used to be a journalist, is that useful?', 'journalist'],
    ['As a consultant, what do I lack?', 'consultant'],
    ['Honestly. As an engineer what changes?', 'engineer'],
    ['SDR here - any advice?', 'sdr'],
    ['does my coding background help?', 'coding'],
    ['I trained as an architect. any link?', 'architect'],
    ['been a PMP-certified project lead for 8 yrs. would I fit?', 'lead'],
    ['worked as a nurse for years, can I switch?', 'nurse'],
    ['sales guy here, tips for connecting with PMs?', 'sales'],
    ['marketing person here (content + SEO, 6 years). what would i bring?', 'marketing'],
    ['I was a stay-at-home parent for 5 years. Can I still get in?', 'parent'],
    ['I have an English degree. Realistic?', 'degree'],
    ['I have a degree in history and work in publishing.', 'history'],
    ['I have a degree in history and work in publishing.', 'publishing'],
    ['Ex-military, 10 years. Where would I fit?', 'military'],
    ["I'm a teacher thinking about PM. Where do I start?", 'teacher'],
    ["I'm a high school math teacher thinking about PM.", 'teacher'],
    ["I'm a senior marketing manager. What's my edge?", 'manager'],
    ["I'm 45 and a teacher. Am I dreaming?", 'teacher'],
    ["What's the best first move for a junior accountant who wants to be a PM?", 'accountant'],
    ['How hard is it to go from QA testing to product manager?', 'qa'],
    ['Been in hospitality for 12 years, managing a hotel front desk. Would PMs hire someone like me?', 'hospitality'],
    ["I've been in retail for 8 years.", 'retail'],
    ['how do I get from sales into product management?', 'sales'],
    ["What's my edge as a former lawyer?", 'lawyer'],
  ])('finds the asker\'s background in "%s"', (question, word) => {
    expect(backgroundStems(question)).toContain(stem(word));
  });

  it.each([
    'will FAANG companies hire me as a PM if I have never been one?',
    'what is the hardest part of being a PM?',
    'do certifications matter when getting hired as a product manager?',
    'Have you been in a PM interview?',
  ])('does not take the goal for a background mid-sentence: "%s"', (question) => {
    expect(backgroundStems(question)).toEqual([]);
  });

  it('weighs the background word double in the query terms', () => {
    expect(termOf("I'm a marketer, how do I start?", 'marketer')?.weight).toBe(2);
    expect(termOf('how do marketers start?', 'marketers')?.weight).toBe(1);
  });
});

describe('the business someone runs', () => {
  it('is their background: "I manage a restaurant", "I run a bakery"', () => {
    expect(backgroundStems('I manage a restaurant. What parts of that translate to product?')).toEqual([
      stem('restaurant'),
    ]);
    expect(backgroundStems('I run a small bakery.')).toContain(stem('bakery'));
  });
});

describe("the words before a role's head", () => {
  it.each([
    ["I'm a QA tester. Do I have any advantage?", 'qa', 'tester'],
    ["I'm a high school teacher, can I become a PM?", 'school', 'teacher'],
    ['I was a stay-at-home parent for 5 years.', 'home', 'parent'],
    ['I have an English degree. Realistic?', 'english', 'degree'],
  ])('are the asker\'s background too, weighed as the head is: "%s" (%s)', (question, modifier, head) => {
    const term = termOf(question, modifier);
    expect(term?.role).toBe('background');
    expect(term?.weight).toBeGreaterThan(1);
    expect(term?.weight).toBe(termOf(question, head)?.weight);
  });
});

describe('queryTerms', () => {
  it('drops chat spellings as stop words instead of treating them as unknown topics', () => {
    const stems = queryTerms('should i tell my boss tho im not ready yet u know', embedder).map((t) => t.stem);
    expect(stems).not.toContain('tho');
    expect(stems).not.toContain('im');
    expect(stems).not.toContain('u');
    const chat = queryTerms('what r the pillars n steps, abt sales?', embedder).map((t) => t.stem);
    expect(chat).toEqual([stem('pillars'), stem('steps'), stem('sales')]);
  });

  it('keeps "tell" where it is what is asked ("tell my boss"), not where it asks the assistant ("tell me")', () => {
    const stems = (q: string) => queryTerms(q, embedder).map((t) => t.stem);
    expect(stems('should I tell my boss?')).toContain(stem('tell'));
    expect(stems('tell me a joke about sales')).not.toContain(stem('tell'));
    expect(stems('can you tell us about sales')).not.toContain(stem('tell'));
  });

  it('keeps "any" as a content word: "from any industry" asks about the breadth of a claim', () => {
    expect(queryTerms('can I switch from any industry?', embedder).map((t) => t.stem)).toContain(stem('any'));
  });

  it('leaves numbers out, written in digits or in words, so "zero experience" is not an unknown topic', () => {
    const stems = queryTerms('I have zero experience and 5 years in sales, twenty applications sent', embedder).map(
      (t) => t.stem,
    );
    expect(stems).toEqual(expect.arrayContaining([stem('experience'), stem('sales'), stem('applications')]));
    for (const number of ['zero', '5', 'twenty']) expect(stems).not.toContain(stem(number));
  });

  it('leaves out the time unit of an amount ("5 years", "8 yrs") but keeps a unit that is the topic', () => {
    const stems = (q: string) => queryTerms(q, embedder).map((t) => t.stem);
    expect(stems('5 years in sales and eight yrs before that')).toEqual([stem('sales')]);
    expect(stems('how many years of sales do I need?')).toContain(stem('years'));
  });

  it('gives a word the corpus lacks entirely no evidence, and one reached only through WordNet related evidence', () => {
    const question = 'how do I set up a Kubernetes cluster?';
    expect(termOf(question, 'kubernetes')).toMatchObject({ evidence: 'none', role: 'topic' });
    expect(termOf(question, 'cluster')).toMatchObject({ evidence: 'related', role: 'topic' });
    expect(isLooselyBacked(termOf(question, 'kubernetes')!)).toBe(true);
    expect(isLooselyBacked(termOf(question, 'cluster')!)).toBe(true);
  });

  it('gives a word with a listed synonym in the corpus synonym evidence, not a loose one ("mktg" -> marketing)', () => {
    const term = termOf('how do I go from mktg to product?', 'mktg');
    expect(term).toMatchObject({ evidence: 'synonym' });
    expect(isLooselyBacked(term!)).toBe(false);
    expect(term?.matches.get(stem('marketing'))).toBeGreaterThan(0);
  });
});

describe("a synonyms term of several words ('account executive, sales')", () => {
  const withPhrase = new LocalEmbeddings(
    fitLocalEmbedder(corpus, 64),
    SynonymTable.fromRules(parseSolrSynonyms('sales, account executive')),
  );
  const matchesOf = (question: string, word: string) =>
    queryTerms(question, withPhrase).find((t) => t.stem === stem(word))?.matches;

  it('lends its stand-ins to its words when the question says it, in order', () => {
    expect(matchesOf('account executive here, can I move to product?', 'executive')?.get(stem('sales'))).toBe(0.8);
  });

  it('lends nothing to one of its words alone', () => {
    expect(matchesOf('how do I close my bank account?', 'account')?.has(stem('sales'))).toBe(false);
  });
});

describe('an unlisted background', () => {
  const guide = new LocalEmbeddings(
    fitLocalEmbedder(
      ['Teachers keep order in a room.', 'Any background can lead to product, whatever your discipline.'],
      64,
    ),
  );
  const termIn = (question: string, word: string) => queryTerms(question, guide).find((t) => t.stem === stem(word))!;

  it("stands for backgrounds in general, as the asker's context rather than an unknown topic", () => {
    const nurse = termIn("I'm a nurse, can I become a PM?", 'nurse');
    expect(nurse.weight).toBe(2);
    expect(nurse.matches.get(stem('background'))).toBeGreaterThan(0);
    expect(nurse.matches.get(stem('discipline'))).toBeGreaterThan(0);
    expect(nurse).toMatchObject({ evidence: 'related', role: 'background' });
    expect(isLooselyBacked(nurse)).toBe(false);
  });

  it.each(['Paralegal here, 8 years. Is it realistic?', 'Backend paralegal here - can I become a PM?'])(
    'takes "<job> here" opening a sentence for a role: "%s"',
    (question) => {
      const paralegal = termIn(question, 'paralegal');
      expect(paralegal).toMatchObject({ evidence: 'related', role: 'background' });
      expect(paralegal.matches.get(stem('background'))).toBeGreaterThan(0);
    },
  );

  it("leaves a background the guide names, and a word that is not the asker's background, as they are", () => {
    expect(termIn("I'm a teacher, can I become a PM?", 'teacher').matches.has(stem('background'))).toBe(false);
    expect(termIn('do nurses make good PMs?', 'nurses')).toMatchObject({ evidence: 'none', role: 'topic' });
  });

  it('takes only a named role for one: "recipes here?" weighs double but is not a background', () => {
    const recipes = termIn('any good sourdough recipes here?', 'recipes');
    expect(recipes.weight).toBe(2);
    expect(recipes.matches.has(stem('background'))).toBe(false);
    // A cued word the guide lacks stays without evidence: it still counts against support.
    expect(recipes.evidence).toBe('none');
    expect(isLooselyBacked(recipes)).toBe(true);
  });
});

describe('derived forms', () => {
  const matchesIn = (corpusTexts: string[]) => {
    const formsEmbedder = new LocalEmbeddings(fitLocalEmbedder(corpusTexts, 64));
    const lexical = buildLexicalIndex(corpusTexts.map((text, id) => ({ id, heading: '', text })));
    return (question: string, word: string) =>
      queryTerms(question, formsEmbedder, corpusVocabulary(lexical)).find((t) => t.stem === stem(word))?.matches;
  };
  const matchesOf = matchesIn(['Architecture teaches project planning.', 'Career changes take planning.']);

  it('matches a word to a longer corpus form the stemmer does not join ("architect" -> architecture)', () => {
    expect(stem('architect')).not.toBe(stem('architecture'));
    expect(matchesOf("I'm an architect", 'architect')?.get(stem('architecture'))).toBe(0.8);
  });

  it('matches a word to a shorter corpus form ("architectural" -> architect)', () => {
    expect(stem('architectural')).not.toBe(stem('architect'));
    const matchesOfShorter = matchesIn(['An architect plans buildings.']);
    expect(matchesOfShorter('my architectural training', 'architectural')?.get(stem('architect'))).toBe(0.8);
  });

  it('leaves short stems alone: "car" does not reach "career"', () => {
    expect([...(matchesOf('which car should I buy?', 'car')?.keys() ?? [])]).toEqual([stem('car')]);
  });
});

describe('evidence of a word', () => {
  it('is the corpus vocabulary, exactly: a question word whose hashed feature id the corpus has by chance is not known, nor weighed as that feature', () => {
    // The local embedder's stem id of "oil" equals its trigram id of "mil" ("million"): the
    // embedder alone would call "oil" a corpus word.
    const corpusTexts = ['Raising a million for a product launch is rare.'];
    const hashed = new LocalEmbeddings(fitLocalEmbedder(corpusTexts, 64));
    expect(hashed.knowsTerm(stem('oil'))).toBe(true);
    const lexical = buildLexicalIndex(corpusTexts.map((text, id) => ({ id, heading: '', text })));
    const oil = queryTerms('how often should I change the oil?', hashed, corpusVocabulary(lexical)).find(
      (t) => t.stem === stem('oil'),
    );
    expect(oil?.evidence).toBe('none');
    expect(oil?.idf).toBe(hashed.unseenTermIdf);
  });
});

describe('supportSignals', () => {
  it('reports the IDF-weighted shares of unknown and loose words next to coverage and similarity', () => {
    const terms = queryTerms('Kubernetes cluster sales', embedder);
    const passage = { coverage: 0.4, vectorScore: 0.2 } as Passage;
    const signals = supportSignals([passage], terms);
    expect(signals.coverage).toBe(0.4);
    expect(signals.similarity).toBe(0.2);
    expect(signals.unknown).toBeGreaterThan(0);
    expect(signals.loose).toBeGreaterThan(0);
    expect(signals.unknown + signals.loose).toBeLessThan(1); // "sales" is known
  });
});

describe('an unknown word of a known background', () => {
  it('is no gap: "a high school chemistry teacher" says which teacher', () => {
    const passage = { coverage: 0.5, vectorScore: 0.2 } as Passage;
    const withModifier = supportSignals([passage], queryTerms("I'm a chemistry teacher. Can I become a PM?", embedder));
    const plain = supportSignals([passage], queryTerms("I'm a teacher. Can I become a PM?", embedder));
    expect(withModifier.unknown).toBe(plain.unknown);
  });

  it('is a gap when the background has no word the guide knows: "my chess skills"', () => {
    const passage = { coverage: 0.5, vectorScore: 0.2 } as Passage;
    expect(
      supportSignals([passage], queryTerms('How do I improve my chess skills?', embedder)).unknown,
    ).toBeGreaterThan(0);
  });
});

describe("circumstances: words said only in a sentence about the asker's background", () => {
  const circumstantial = (question: string) =>
    queryTerms(question, embedder)
      .filter((t) => t.role === 'circumstance')
      .map((t) => t.stem);

  it("marks the unknown words of the background sentence, not the background itself nor the question's words", () => {
    const question =
      'Journalist here, 15 years in newsrooms, got laid off last month. What do engineers bring to a product team?';
    // "newsrooms" is a background word itself ("15 years in newsrooms"): it stays.
    expect(circumstantial(question).sort()).toEqual(['laid', 'last', 'month']);
  });

  it('keeps a known word of the background sentence as evidence: the guide speaks to it', () => {
    expect(circumstantial("I'm a sales rep in marketing. What do engineers bring?")).not.toContain(stem('marketing'));
  });

  it('marks nothing when the question sentence has no words of its own: the background is then the topic', () => {
    expect(circumstantial("I'm a baker who loves sourdough. Any tips?")).toEqual([]);
    expect(circumstantial("I'm a baker who loves sourdough. What should I do?")).toEqual([]);
    // "pack" is a word of its own, but one the guide does not know either.
    expect(circumstantial("I'm a baker who loves sourdough. What should I pack?")).toEqual([]);
  });

  it('marks nothing in a sentence with no background cue, or in a single sentence', () => {
    expect(circumstantial('My cat keeps throwing up after meals. What do engineers bring to a team?')).toEqual([]);
    expect(circumstantial("I'm a baker in Madrid, what do engineers bring to a team?")).toEqual([]);
  });

  it("takes the question sentence from the follow-up, and the carried turn's unknown words as circumstances", () => {
    const terms = queryTerms(
      'and what do engineers bring to the product team in Lisbon?',
      embedder,
      undefined,
      "I'm a baker in Madrid, can I move into sales?",
    );
    const flagged = terms.filter((t) => t.role === 'circumstance').map((t) => t.stem);
    expect(flagged).toContain(stem('madrid'));
    // Unknown, but asked in the follow-up itself.
    expect(flagged).not.toContain(stem('lisbon'));
  });

  it('marks the unknown words around the background of a turn that only tells it ("at a B2B SaaS company")', () => {
    // This small corpus knows none of them; the background itself ("SDR") stays.
    expect(circumstantial("I'm an SDR at a B2B SaaS company.").sort()).toEqual(
      [stem('b2b'), stem('saas'), stem('company')].sort(),
    );
    // Not when the turn asks something, with or without a question mark.
    expect(circumstantial("I'm a chef and want to know how to make risotto")).toEqual([]);
  });

  it('leaves circumstances out of the unknown share, so they do not count against support', () => {
    const withBackground = queryTerms(
      "I'm a marketing manager in Ibiza every summer. What do engineers bring to a product team?",
      embedder,
    );
    const plain = queryTerms('What do engineers bring to a product team?', embedder);
    const passage = { coverage: 0.5, vectorScore: 0.2 } as Passage;
    expect(withBackground.some((t) => t.evidence === 'none' && t.role === 'circumstance')).toBe(true);
    expect(supportSignals([passage], withBackground).unknown).toBe(supportSignals([passage], plain).unknown);
  });
});
