import { describe, expect, it } from 'vitest';
import { askedAlternatives, askedAmount, answerTypeMet, statesAmount } from '../../src/rag/answer-type.ts';
import type { QueryTerm } from '../../src/rag/query-terms.ts';
import { stem } from '../../src/text/analyze.ts';
import { askExtractive } from '../helpers/ask-extractive.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';
import { expectRelatedThoughSupported } from '../helpers/declined-though-supported.ts';

describe('askedAmount', () => {
  it.each([
    ['how much does a PM make?', 'money'],
    ['how much does the full Product School certification cost?', 'money'],
    ["what's the typical base pay for an associate product manager in Toronto?", 'money'],
    ['what do PMs get paid in Berlin', 'money'],
    ['how long does the switch from sales take?', 'duration'],
    ['how many years does it take to go from APM to senior PM?', 'duration'],
    ['how many yrs does the switch take?', 'duration'],
    ['how many ways are there to get a PM job?', 'count'],
  ] as const)('"%s" asks for %s', (question, kind) => {
    expect(askedAmount(question)).toBe(kind);
  });

  it.each([
    'how much difference does it make if I have a design background?',
    'How much does my design background make a difference?',
    'How much does it make sense to learn SQL as a PM?',
    'what are the costs of switching into product management?',
    'What can I do to earn the trust of engineers?',
    'what should I do about the pay cut?',
    'how long should my resume be?',
    'how much does my background matter?',
    'how much technical knowledge do I need?',
    'I took a pay cut to move into product, how do I explain it in interviews?',
    'how do I get from sales into product management?',
  ])('"%s" asks for no amount', (question) => {
    expect(askedAmount(question)).toBeNull();
  });
});

describe('statesAmount', () => {
  it('tells money, time and numbers apart', () => {
    expect(statesAmount('money', 'Entry-level PMs earn around $95k a year.')).toBe(true);
    expect(statesAmount('money', 'Product managers are well paid.')).toBe(false);
    expect(statesAmount('duration', 'Most people take 18 months to switch.')).toBe(true);
    expect(statesAmount('duration', 'It can take a few months.')).toBe(true);
    expect(statesAmount('duration', 'Balancing the day-to-day work of a PM.')).toBe(false);
    expect(statesAmount('duration', 'Expect 45 minutes per interview.')).toBe(true);
    expect(statesAmount('duration', 'A year-long program.')).toBe(true);
    expect(statesAmount('count', 'There are two main ways to get a PM job.')).toBe(true);
    expect(statesAmount('count', 'One of the best ways is to move internally.')).toBe(false);
  });

  it('does not take a numbered list marker for an amount', () => {
    const list = '1. Make the move within your own company.\n2. Move to a similar role elsewhere.';
    expect(statesAmount('count', list)).toBe(false);
    expect(statesAmount('count', 'You need 2 things.')).toBe(true);
  });

  it('lets any passage that states the amount through', () => {
    expect(answerTypeMet('how much does a PM make?', ['PMs are well paid.', 'Salaries start at $90,000.'], [])).toBe(
      true,
    );
    expect(answerTypeMet('how much does a PM make?', ['PMs are well paid.'], [])).toBe(false);
    expect(answerTypeMet('how do I become a PM?', [], [])).toBe(true);
  });
});

describe('askedAlternatives', () => {
  it.each([
    ['Should I learn Jira or Asana first?', [['jira', 'asana']]],
    ['Is the CSPO or the PMP certification better?', [['cspo', 'pmp']]],
    ['Jira vs. Asana - which one?', [['jira', 'asana']]],
    ["Which is better for a new PM, Jira's boards or Asana?", []],
    ['Which is better for a new PM: Jira or Asana?', [['jira', 'asana']]],
    ['Which is it: is building products an art or a science?', [['art', 'science']]],
  ])('"%s" asks to choose between %j', (question, pairs) => {
    expect(askedAlternatives(question)).toEqual(pairs.map((pair) => pair.map((w) => stem(w))));
  });

  it.each([
    'can I switch from any industry or is that just hype?',
    'is it 5 or 6 steps?',
    "I'm a consultant at Deloitte or KPMG, how do I move into product management?",
    "I'm a software engineer writing Java or Kotlin. How do I become a product manager?",
    'As an engineer at Uber or Lyft, how do I become a PM?',
  ])('"%s" joins clauses or numbers, or describes the asker: no choice asked', (question) => {
    expect(askedAlternatives(question)).toEqual([]);
  });
});

describe('answerTypeMet for a choice between alternatives', () => {
  const term = (word: string, unknown: boolean, loose = false): QueryTerm => ({
    word,
    stem: stem(word),
    idf: 1,
    weight: 1,
    matches: new Map(),
    evidence: unknown ? 'none' : loose ? 'related' : 'word',
    role: 'topic',
    modifier: false,
    qualifier: false,
  });

  it('declines a choice between two things the guide never names, not even by a synonym', () => {
    expect(answerTypeMet('should I learn Jira or Asana first?', [], [term('jira', true), term('asana', true)])).toBe(
      false,
    );
    // A loose WordNet relative ("asana", the yoga posture -> "position") does not name it.
    expect(
      answerTypeMet('should I learn Jira or Asana first?', [], [term('jira', true), term('asana', false, true)]),
    ).toBe(false);
  });

  it('lets a choice through when the guide names either alternative, or a stand-in of it', () => {
    expect(
      answerTypeMet('should I learn Jira or roadmaps first?', [], [term('jira', true), term('roadmaps', false)]),
    ).toBe(true);
    // "cert" is not in the guide, but its stand-in "certification" is: queryTerms marks it not unknown.
    expect(answerTypeMet('a cert or a bootcamp?', [], [term('cert', false), term('bootcamp', true)])).toBe(true);
    expect(
      answerTypeMet('should I apply now or wait?', [], [term('apply', false), term('now', false), term('wait', false)]),
    ).toBe(true);
  });
});

describe('the answer-type check in the pipeline', () => {
  const fixture = useFixtureIndex();

  const ask = (question: string) => askExtractive(fixture.index, question);

  it('does not call an amount question answered when no passage states the amount: related, saying so', async () => {
    // The side-project section would answer it, but nothing there says what anything costs.
    await expectRelatedThoughSupported(
      fixture.index,
      'how much does it cost to build a side project to practise product skills?',
      "The guide doesn't give figures for pay or costs.",
    );
  });

  it('does not call a choice between things the guide never names answered: related, naming what it lacks', async () => {
    await expectRelatedThoughSupported(
      fixture.index,
      'should I build my side project in Python or Ruby?',
      "The guide doesn't mention “Python”.",
    );
  });

  it('answers a choice between alternatives the guide discusses', async () => {
    expect((await ask('should I talk to customers or build a side project first?')).grounded).toBe(true);
  });

  it('answers an amount question when a retrieved passage states the amount', async () => {
    const response = await ask('how many people should I talk to before I build my side project?');
    expect(response.grounded).toBe(true);
    expect(response.citations.some((c) => /five people/.test(c.quote))).toBe(true);
  });
});
