import { describe, expect, it } from 'vitest';
import { answerFigures, checkAnswer, outcomeMissed, targetChecks } from '../../src/eval/answer-figures.ts';
import type { EvalQuestion } from '../../src/eval/eval-set.ts';
import { evalSections } from '../../src/eval/source-sections.ts';
import type { StoredDocument } from '../../src/index/loaded-index.ts';
import type { AskResponse, Citation, Support } from '../../src/rag/types.ts';

const GUIDE: StoredDocument = {
  id: 'guide',
  title: 'The Guide',
  sourceUrl: null,
  author: null,
  published: null,
  updated: null,
  sha256: '0'.repeat(64),
  markdown: [
    '# The Guide',
    '## Pivot',
    'There are two main ways:',
    '',
    '1. Move within your own company.',
    '2. Move to a company that has PMs.',
    '',
    'The first option is great if your company has PMs. This is because they already know you.',
    '## Skills',
    '- Teacher: Crowd control! The voice of reason.',
    '- Sales: Ability to meet targets.',
  ].join('\n'),
};
const SECTIONS = evalSections([GUIDE]);

const cite = (id: number, section: 'Pivot' | 'Skills'): Citation => ({
  id,
  document: 'guide',
  section,
  anchor: section.toLowerCase(),
  url: '',
  sourceUrl: '',
  quote: '',
  score: 1,
});
const response = (answer: string, citations: Citation[], support: Support = 'answered'): AskResponse => ({
  answer,
  citations,
  support,
  grounded: support !== 'none',
  mode: 'extractive',
  id: 'x',
});
const question = (sections: string[], extra: Partial<EvalQuestion> = {}): EvalQuestion => ({
  id: 'q',
  question: 'q?',
  sections,
  ...extra,
});
const BOTH = [cite(1, 'Pivot'), cite(2, 'Skills')];
const PIVOT_ONLY = [cite(1, 'Pivot')];

describe('evalSections', () => {
  it('knows which sentences of a section come from list items', () => {
    const pivot = SECTIONS.get('guide#pivot')!.source.sentences;
    expect(pivot.map((s) => [s.text, s.inList])).toEqual([
      ['There are two main ways:', false],
      ['Move within your own company.', true],
      ['Move to a company that has PMs.', true],
      ['The first option is great if your company has PMs.', false],
      ['This is because they already know you.', false],
    ]);
  });
});

describe('checkAnswer and answerFigures', () => {
  const pivotQuestion = question(['Pivot']);

  it('measures precision, dangling statements and the bare label of one answer', () => {
    const answer = 'Teacher: Crowd control! [2] This is because they already know you [1]. Move within [1].';
    const check = checkAnswer(pivotQuestion, response(answer, BOTH), SECTIONS);
    expect(check).toMatchObject({ statements: 3, precise: 2, bareLabel: true, countsForPrecision: true });
    expect(check.dangling.map((d) => d.text)).toEqual(['This is because they already know you.']);
  });

  it('sums statements over answers (micro-average), and counts repetition only for follow-ups', () => {
    const first = checkAnswer(pivotQuestion, response('Move within your own company [1].', PIVOT_ONLY), SECTIONS);
    const followUpAnswer = 'Move within your own company [1]. Sales: Ability to meet targets. [2] Crowd control! [2]';
    const earlier = ['- Move within your own company. [1]'];
    const followUp = checkAnswer(pivotQuestion, response(followUpAnswer, BOTH), SECTIONS, earlier);
    const figures = answerFigures([first, followUp]);
    expect(figures).toMatchObject({ citedStatements: 4, answersWithCitations: 2 });
    expect(figures).toMatchObject({ followUps: 1, followUpStatements: 3, repeatedStatements: 1 });
    expect(figures.citationPrecision).toBeCloseTo(2 / 4);
    expect(figures.followUpRepetition).toBeCloseTo(1 / 3);
  });

  it('counts outcomes by what the question expects, and misses the targets they break', () => {
    const notCovered = response('The guide does not cover that.', [], 'none');
    const checks = [
      checkAnswer(pivotQuestion, notCovered, SECTIONS),
      checkAnswer(question([], { expect: 'related' }), response('Move within your company [1].', PIVOT_ONLY), SECTIONS),
      checkAnswer(question([], { expect: 'none' }), notCovered, SECTIONS),
    ];
    const figures = answerFigures(checks);
    expect(figures.outcomes.answerable).toEqual({ answered: 0, related: 0, none: 1 });
    expect(figures.outcomes.related).toEqual({ answered: 1, related: 0, none: 0 });
    expect(figures.outcomes.none).toEqual({ answered: 0, related: 0, none: 1 });
    expect(checks.map(outcomeMissed)).toEqual([true, true, false]);
    // The "none" answer to an answerable question has no citations: no precision to count.
    expect(figures.citationPrecision).toBeNull();
    const met = Object.fromEntries(targetChecks(figures).map((t) => [t.name, t.met]));
    expect(met).toMatchObject({
      'answerable questions answered "none"': false,
      'citation precision': null,
      'off-topic / injection not "none"': true,
      'on topic, not covered, "answered"': false,
      'follow-up repetition': null,
    });
  });
});
