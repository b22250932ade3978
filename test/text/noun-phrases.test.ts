import { describe, expect, it } from 'vitest';
import { stem } from '../../src/text/analyze.ts';
import { askedPhrases, questionSentences } from '../../src/text/noun-phrases.ts';

const stems = (...words: string[]) => new Set(words.map(stem));

describe('the noun phrases a question asks about', () => {
  it('gives each phrase of the asked clause, its head and every word in it', () => {
    const phrases = askedPhrases('What are the most common PM interview questions?');
    expect(phrases.heads).toEqual(stems('questions'));
    expect(phrases.words).toEqual(stems('common', 'pm', 'interview', 'questions'));
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

  it('splits a question into the sentences that ask and those that tell', () => {
    expect(questionSentences('I work in sales. How do I move into product? Thanks!')).toEqual({
      asking: ['How do I move into product?'],
      telling: ['I work in sales.', 'Thanks!'],
    });
  });

  it('tells a short label before a colon apart from the question it files ("Career question: ...")', () => {
    expect(questionSentences('Career question: how do I fix my boiler?')).toEqual({
      asking: ['how do I fix my boiler?'],
      telling: ['Career question:'],
    });
    expect(questionSentences('So I moved. quick q tho: what now?').telling).toEqual(['So I moved.', 'quick q tho:']);
    expect(questionSentences('I have one question about my move into product: when?').telling).toEqual([]);
  });

  it('splits off a clause that tells before the one that asks ("For my career growth, what should I eat?")', () => {
    expect(questionSentences('For my career growth, what should I eat?')).toEqual({
      asking: ['what should I eat?'],
      telling: ['For my career growth,'],
    });
    // Two clauses that both ask stay one question.
    expect(questionSentences('how does hiring work, how many rounds?').telling).toEqual([]);
  });

  it('gives the direct object of the asked verb, not a phrase after a preposition', () => {
    expect(askedPhrases('How often should I change the oil?').objects.get(stem('change'))).toEqual([stem('oil')]);
    expect(askedPhrases('how do I write good OKRs?').objects.get(stem('write'))).toEqual([stem('good'), stem('okrs')]);
    expect(askedPhrases('How do I pivot into fintech?').objects.get(stem('pivot'))).toEqual([]);
  });
});
