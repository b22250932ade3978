import { describe, expect, it } from 'vitest';
import { stem } from '../../src/text/analyze.ts';
import { askedPhrases, sentencesOf } from '../../src/text/noun-phrases.ts';

const stems = (...words: string[]) => new Set(words.map(stem));

describe('the noun phrases a question asks about', () => {
  it('gives each phrase of the asked clause, its head and every word in it', () => {
    const phrases = askedPhrases('What are the most common PM interview questions?');
    expect(phrases.heads).toEqual(stems('questions'));
    expect(phrases.words).toEqual(stems('common', 'pm', 'interview', 'questions'));
  });

  it('keeps a superlative inside its phrase, and takes no word for a share of something as a head', () => {
    expect(askedPhrases("What's the single most important skill for a new PM?").heads).toEqual(stems('skill', 'pm'));
    expect(askedPhrases('What parts of that translate to product?').heads).not.toContain(stem('parts'));
  });

  it('opens the subject of a yes-no question after its verb', () => {
    expect(askedPhrases('Is remote PM work common?').words).toEqual(stems('remote', 'pm', 'work', 'common'));
    expect(askedPhrases('Is it hard?').words).toEqual(new Set());
  });

  it('opens a phrase at a preposition, "by" included', () => {
    expect(askedPhrases('Which PM certification is accredited by PMI?').heads).toContain(stem('pmi'));
  });

  it('reads the clause that asks, not the story told before it', () => {
    const phrases = askedPhrases("I'm a teacher in Ohio, how do I move into product management?");
    expect(phrases.words).toEqual(stems('product', 'management'));
  });

  it('takes the object of "how do I <verb>" as a phrase, but not a second verb', () => {
    expect(askedPhrases('How do I write good OKRs for my team?').words).toEqual(stems('good', 'okrs', 'team'));
    expect(askedPhrases('How should I start connecting with them?').words).toEqual(new Set());
  });

  it('takes the object of a light verb that is also a stop word ("get", "have"), but not of "do"', () => {
    expect(askedPhrases('How do I get better sleep?').heads).toEqual(stems('sleep'));
    expect(askedPhrases('Do I have enough experience?').heads).toEqual(stems('experience'));
    expect(askedPhrases('What should I do next?').heads).toEqual(new Set());
  });

  it('ends a phrase before a verb with an object pronoun after it', () => {
    expect(askedPhrases('Would a side project help me?').heads).toEqual(stems('project'));
  });

  it('splits a question into its sentences', () => {
    expect(sentencesOf('I work in sales. How do I move into product? Thanks!')).toEqual([
      'I work in sales.',
      'How do I move into product?',
      'Thanks!',
    ]);
  });

  it('tells a short label before a colon apart from the question it files ("Career question: ...")', () => {
    expect(sentencesOf('Career question: how do I fix my boiler?')).toEqual([
      'Career question:',
      'how do I fix my boiler?',
    ]);
    expect(sentencesOf('So I moved. quick q tho: what now?')).toEqual(['So I moved.', 'quick q tho:', 'what now?']);
    expect(sentencesOf('I have one question about my move into product: when?')).toHaveLength(1);
  });

  it('splits off a clause that tells before the one that asks ("For my career growth, what should I eat?")', () => {
    expect(sentencesOf('For my career growth, what should I eat?')).toEqual([
      'For my career growth,',
      'what should I eat?',
    ]);
    // Two clauses that both ask stay one question.
    expect(sentencesOf('how does hiring work, how many rounds?')).toHaveLength(1);
  });

  it('gives the direct object of the asked verb, not a phrase after a preposition', () => {
    expect(askedPhrases('How often should I change the oil?').objects.get(stem('change'))).toEqual([stem('oil')]);
    expect(askedPhrases('how do I write good OKRs?').objects.get(stem('write'))).toEqual([stem('good'), stem('okrs')]);
  });

  it('gives where a verb of motion goes as what it acts on, also for a gerund', () => {
    expect(askedPhrases('How do I pivot into fintech?').objects.get(stem('pivot'))).toEqual([stem('fintech')]);
    expect(askedPhrases('Should I switch to a product role?').objects.get(stem('switch'))).toEqual([
      stem('product'),
      stem('role'),
    ]);
    expect(askedPhrases('Is moving to Berlin a good idea?').objects.get(stem('moving'))).toEqual([stem('berlin')]);
    // Where it starts may come first: the goal is still what it acts on.
    expect(askedPhrases('How do I switch from iPhone to Android?').objects.get(stem('switch'))).toEqual([
      stem('android'),
    ]);
    expect(askedPhrases('Is it worth moving from London to Berlin?').objects.get(stem('moving'))).toEqual([
      stem('berlin'),
    ]);
  });

  it('does not take the "to" of an infinitive for a goal', () => {
    const phrases = askedPhrases("what can I do while I'm consulting to improve my chances?");
    expect(phrases.objects.has(stem('consulting'))).toBe(false);
    expect(phrases.heads).toEqual(new Set([stem('chances')]));
    // After a verb that takes an infinitive, "to" is the infinitive's, wherever the clause ends.
    expect(askedPhrases('what would I need to learn?').words).toEqual(new Set());
  });

  it('ends a phrase at any preposition: "move into PM inside my company" has two heads', () => {
    expect(askedPhrases('Should I move into PM inside my company?').heads).toEqual(
      new Set([stem('pm'), stem('company')]),
    );
  });
});
