import { describe, expect, it } from 'vitest';
import { stem } from '../../src/text/analyze.ts';
import { corpusMoves, movesIn, specificStems } from '../../src/text/destinations.ts';

/** Each move as "from -> to", stems joined by spaces, with "(role)" when the goal names one. */
function moves(text: string): string[] {
  return movesIn(text).map((m) => `${m.from.join(' ')} -> ${m.to.join(' ')}${m.toRole ? ' (role)' : ''}`);
}

describe('movesIn', () => {
  it('reads the goal of "become" as a role', () => {
    expect(moves('How do I become a UX designer?')).toEqual([' -> ux design (role)']);
  });

  it('reads where a verb or noun of motion goes, and where it starts', () => {
    expect(moves('How do I switch from marketing into a data scientist role?')).toEqual([
      'market -> data scientist role (role)',
    ]);
    expect(moves('Is the move to product worth it?')).toEqual([' -> product']);
    expect(moves('Moving from Sales to Product Management')).toEqual(['sale -> product manag']);
  });

  it('reads "a job as a ..." as a role taken on, and "Becoming ... as an Engineer" as where it starts', () => {
    expect(moves('How do I get a job as a data analyst?')).toEqual([' -> data analyst (role)']);
    expect(moves('Becoming a Product Manager as an Engineer')).toEqual(['engin -> product manag (role)']);
  });

  it('reads "from ... to ..." without a verb of motion only between roles', () => {
    expect(moves('from teacher to PM in a year')).toEqual(['teacher -> pm']);
    expect(moves('How do PMs take a product from idea to launch?')).toEqual([]);
  });

  it('is no goal when it is a step on the way', () => {
    expect(moves('Should I become a consultant first?')).toEqual([]);
    expect(moves('I want to learn to code')).toEqual([]);
  });

  it('marks becoming better at a role, where the role may be the one held', () => {
    expect(movesIn('How do I become a better communicator as a PM?')).toMatchObject([
      { from: ['pm'], to: [stem('better'), stem('communicator')], improves: true },
    ]);
    expect(movesIn('How do I become a UX designer?')[0]?.improves).toBe(false);
  });

  it('stops a phrase at punctuation', () => {
    expect(moves('I want to become a designer, then what?')).toEqual([' -> design (role)']);
  });
});

describe('corpusMoves', () => {
  it('goes where the headings go, less where they start, and comes from where they start', () => {
    const headings = [
      'How to Transition from Project Manager to Product Manager',
      'Career Shift from Consultant to Product Manager',
      'Tips',
    ];
    const { destination, origins } = corpusMoves(headings);
    expect([...destination]).toEqual(['product']);
    expect([...origins].sort()).toEqual([stem('consultant'), stem('manager'), stem('project')].sort());
  });

  it('goes nowhere for headings that describe no move', () => {
    expect(corpusMoves(['Getting Started', 'Pricing', 'FAQ']).destination.size).toBe(0);
  });
});

describe('specificStems', () => {
  it('drops words that say nothing of which role', () => {
    expect(specificStems(['new', 'role'])).toEqual([]);
    expect(specificStems(['senior', 'data', 'role'])).toEqual(['data']);
  });
});
