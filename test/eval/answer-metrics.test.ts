import { describe, expect, it } from 'vitest';
import {
  citedFromExpected,
  danglingStatements,
  opensWithBareLabel,
  plainText,
  repeatedStatements,
  sourceSection,
  statementsOf,
  type SourceSection,
} from '../../src/eval/answer-metrics.ts';

// A small section written like a guide's: a paragraph announcing a list, the list, a sentence
// pointing at its first item, and a paragraph whose second sentence leans on the first.
const PIVOT = sourceSection([
  { text: 'There are two main ways to get a job:' },
  { text: 'Make the move within your own company.', listItem: true },
  { text: 'Move to a similar role in a company that has PMs.', listItem: true },
  { text: 'The first option is great if your company has PMs. This is because they already know you.' },
  { text: 'Start a conversation: find the decision-makers within your company. They will tell you what they need.' },
]);
const SKILLS = sourceSection([
  { text: 'Teacher: Crowd control! The voice of reason in a chaotic room.', listItem: true },
  { text: 'Sales: Ability to meet targets.', listItem: true },
]);

/** Citation n's section: [1] is PIVOT, [2] is SKILLS. */
const bySection = (statement: { markers: number[] }): SourceSection | undefined =>
  ({ 1: PIVOT, 2: SKILLS })[statement.markers[0] as 1 | 2];

const dangling = (answer: string) => danglingStatements(statementsOf(answer), bySection);

describe('statementsOf', () => {
  it('splits each line into the pieces ending in a marker, with the punctuation written after it', () => {
    const answer = 'First claim [1]. Second claim. [2]\n- **Teacher**: Crowd control! [2]\nUncited tail';
    expect(statementsOf(answer)).toEqual([
      { text: 'First claim.', markers: [1], line: 0, listItem: false },
      { text: 'Second claim.', markers: [2], line: 0, listItem: false },
      { text: 'Teacher: Crowd control!', markers: [2], line: 1, listItem: true },
    ]);
  });

  it('keeps a group heading out of the statement under it and joins adjacent markers', () => {
    expect(statementsOf('**How to Pivot**\nClaim [1][2].')).toEqual([
      { text: 'Claim.', markers: [1, 2], line: 1, listItem: false },
    ]);
  });

  it('strips list markers, emphasis and markers from the text', () => {
    expect(plainText('1. Make the **move** within _your_ company [1].')).toBe('Make the move within your company.');
  });
});

describe('citedFromExpected', () => {
  it('counts the statements whose cited section is an expected one', () => {
    const statements = statementsOf('A [1]. B [2]. C [1][2].');
    const sectionOf = (m: number) => ({ 1: 'Pivot', 2: 'Skills' })[m as 1 | 2];
    expect(citedFromExpected(statements, sectionOf, ['Pivot'])).toEqual({ precise: 2, total: 3 });
    expect(citedFromExpected(statements, sectionOf, ['FAQs'])).toEqual({ precise: 0, total: 3 });
  });
});

describe('danglingStatements', () => {
  it('finds a sentence that leans on one the answer left out', () => {
    const found = dangling('They will tell you what they need [1].');
    expect(found).toHaveLength(1);
    const sentence = 'They will tell you what they need.';
    expect(found[0]).toMatchObject({ statement: 0, leaning: 'previous', sentence });
  });

  it('finds one that follows a sentence other than its own predecessor', () => {
    const answer = 'Make the move within your own company [1]. This is because they already know you [1].';
    expect(dangling(answer)).toMatchObject([{ statement: 1, leaning: 'previous' }]);
  });

  it('accepts a chain in source order, inside one statement or across statements', () => {
    const inOneStatement = [
      '- Make the move within your own company. [1]',
      'The first option is great if your company has PMs. This is because they already know you. [1]',
    ].join('\n');
    expect(dangling(inOneStatement)).toEqual([]);
    const chain =
      'Start a conversation: find the decision-makers within your company [1]. They will tell you what they need [1].';
    expect(dangling(chain)).toEqual([]);
  });

  it('does not let the sentence before it come from another section', () => {
    // "Teacher: Crowd control!" is not the sentence before "They will tell you..." in its section.
    expect(dangling('Teacher: Crowd control! [2] They will tell you what they need [1].')).toHaveLength(1);
  });

  it('needs the sentence a hypothetical sets up right after it', () => {
    const LEAP = 'If your company has no PMs, the leap may be too large.';
    const SETUP = "For example, let's say you're a marketer at an agency.";
    const ADVICE = "It's recommended that you move to a company with PMs.";
    const example = sourceSection([{ text: `${LEAP} ${SETUP} ${ADVICE}` }]);
    const check = (answer: string) => danglingStatements(statementsOf(answer), () => example);
    expect(check(`${LEAP} [1] ${SETUP} [1]`)).toMatchObject([
      { statement: 1, leaning: 'next', reason: 'ends the answer' },
    ]);
    expect(check(`${LEAP} [1] ${SETUP} [1] ${ADVICE} [1]`)).toEqual([]);
  });

  it('needs the hypothetical before the sentence it sets up: that advice is for the marketer it imagines', () => {
    const LEAP = 'If your company has no PMs, the leap may be too large.';
    const SETUP = "For example, let's say you're a marketer at an agency.";
    const ADVICE = "It's recommended that you move to a company with PMs.";
    const example = sourceSection([{ text: `${LEAP} ${SETUP} ${ADVICE}` }]);
    const check = (answer: string) => danglingStatements(statementsOf(answer), () => example);
    expect(check(`${ADVICE} [1]`)).toMatchObject([{ statement: 0, leaning: 'previous' }]);
    expect(check(`${LEAP} [1] ${SETUP} [1] ${ADVICE} [1]`)).toEqual([]);
  });

  it('needs a list before a sentence that points at its items', () => {
    const FIRST_OPTION = 'The first option is great if your company has PMs.';
    expect(dangling(`${FIRST_OPTION} [1]`)).toMatchObject([{ leaning: 'list' }]);
    const afterList = `1. Make the move within your own company. [1]\n${FIRST_OPTION} [1]`;
    expect(dangling(afterList)).toEqual([]);
    // The list's text quoted without its markers counts as the list.
    const itemAsText = `Make the move within your own company [1]. ${FIRST_OPTION} [1]`;
    expect(dangling(itemAsText)).toEqual([]);
  });

  it('reports a leaning sentence it cannot find in its section', () => {
    expect(dangling('This is something the section never says [1].')).toMatchObject([
      { leaning: 'previous', reason: expect.stringContaining('not found') },
    ]);
  });

  it('leaves alone sentences that stand on their own', () => {
    const standing = 'Teacher: Crowd control! The voice of reason in a chaotic room [2]. Make the move [1].';
    expect(dangling(standing)).toEqual([]);
  });
});

describe('opensWithBareLabel', () => {
  it('flags an answer opening with a list label that is not a list item', () => {
    expect(opensWithBareLabel('Teacher: Crowd control! The voice of reason in a chaotic room [1].')).toBe(true);
    expect(opensWithBareLabel('**Teacher**: Crowd control! [1]')).toBe(true);
    expect(opensWithBareLabel('**Quick-fire Round**\nStart a conversation: find the decision-makers [1].')).toBe(true);
  });

  it('accepts the label kept on a list item, and a long lead-in ending in a colon', () => {
    expect(opensWithBareLabel('- **Teacher**: Crowd control! The voice of reason in a chaotic room. [1]')).toBe(false);
    const leadIn = 'Wherever you are in your career, there are two main ways to get a job: [1]\n1. Move. [1]';
    expect(opensWithBareLabel(leadIn)).toBe(false);
    const underHeading = '**Quick-fire Round: Transferable Skills**\n- **Teacher**: Crowd control! [1]';
    expect(opensWithBareLabel(underHeading)).toBe(false);
    expect(opensWithBareLabel('### Quick-fire Round: Transferable Skills\n- **Teacher**: Crowd control! [1]')).toBe(
      false,
    );
    expect(opensWithBareLabel('### Quick-fire Round\nTeacher: Crowd control! [1]')).toBe(true);
    expect(opensWithBareLabel('The guide does not say. The closest it gets: move within [1].')).toBe(false);
  });
});

describe('repeatedStatements', () => {
  it('counts follow-up statements already said, whatever their case, quotes or markers', () => {
    const earlier = statementsOf('It’s recommended that you transfer [1]. For starters, you know user research [2].');
    const followUp = statementsOf("it's recommended that you transfer. [3] Start a conversation with the boss [1].");
    expect(repeatedStatements(followUp, earlier).map((s) => s.text)).toEqual(["it's recommended that you transfer."]);
  });

  it('counts a statement the earlier answer said as part of a longer one', () => {
    const earlier = statementsOf('Teacher: Crowd control! The voice of reason in a chaotic room [1].');
    expect(repeatedStatements(statementsOf('The voice of reason in a chaotic room [1].'), earlier)).toHaveLength(1);
    expect(repeatedStatements(statementsOf('Sales: Ability to meet targets [1].'), earlier)).toHaveLength(0);
  });
});
