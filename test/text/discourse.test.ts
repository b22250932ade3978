import { describe, expect, it } from 'vitest';
import { stem } from '../../src/text/analyze.ts';
import {
  askerVerb,
  asksAboutWhatCameBefore,
  idiomStems,
  leaningOf,
  setsUpWhatFollows,
  signposts,
} from '../../src/text/discourse.ts';

describe('asksAboutWhatCameBefore', () => {
  it.each([
    'Does that count?',
    'Is it worth it?',
    'How do I fix that?',
    'Is this a good idea?',
    'Thoughts?',
    'Where do I start?',
  ])('"%s" is about what the asker said before it', (sentence) => expect(asksAboutWhatCameBefore(sentence)).toBe(true));

  it.each([
    'How long does recovery take?',
    'Is this recipe any good?',
    'How do I hit my quota this quarter?',
    'Is it hard to switch teams?',
    'How much parental leave do tech companies give?',
  ])('"%s" names its own subject', (sentence) => expect(asksAboutWhatCameBefore(sentence)).toBe(false));
});

describe('signposts', () => {
  it.each([
    'We’ll dive deep into how every type of background experience can be leveraged.',
    'But first, a quick word of general advice.',
    "In this article, we'll cover the many paths that lead to becoming a product manager.",
    'We’re about to dive into how a variety of disciplines can set you up for success.',
    "Let's take a look at the options.",
  ])('is about the text itself: "%s"', (sentence) => {
    expect(signposts(sentence)).toBe(true);
  });

  it.each([
    'For example, let’s say you’re a digital marketer at an agency.',
    'Anyone with the right attitude can become a Product Manager.',
    'First of all, it fills in the gaps in your knowledge.',
  ])('is about its subject: "%s"', (sentence) => {
    expect(signposts(sentence)).toBe(false);
  });
});

describe('setsUpWhatFollows', () => {
  it('is true of a hypothetical that sets up the next sentence, false of a claim', () => {
    expect(setsUpWhatFollows("For example, let's say you're a digital marketer at an agency.")).toBe(true);
    expect(setsUpWhatFollows('Imagine you run a small bakery.')).toBe(true);
    expect(setsUpWhatFollows('You’ve heard the expression ‘all roads lead to Rome.’')).toBe(true);
    expect(setsUpWhatFollows("It's recommended that you transfer to a marketing role.")).toBe(false);
  });

  it('is true of a promise of an enumeration the next sentences give', () => {
    expect(setsUpWhatFollows('Getting certified as a PM is a great step to take, for a number of reasons.')).toBe(true);
    expect(setsUpWhatFollows("If you're a marketer, there are several things you do all the time that matter.")).toBe(
      true,
    );
    expect(setsUpWhatFollows('There are plenty of companies who value character over experience.')).toBe(false);
  });
});

describe('leaningOf', () => {
  it.each([
    ['This is because they already know you.', 'previous'],
    ['It also consolidates the knowledge you already have.', 'previous'],
    ['The first option is great if you work for an organization that has PMs.', 'list'],
    ["It's recommended that you transfer to a marketing role.", 'none'],
    ['Anyone with the right attitude can become a Product Manager.', 'none'],
    // After a clause that opens the sentence: a pronoun that adds to something said before leans on it...
    ["If you've never worked in product before, it also shows how serious you are.", 'previous'],
    ['When you apply, they will ask about your projects.', 'previous'],
    // ...while "this" may stand for the opening clause itself.
    ['If you can find leadership opportunities as a consultant, this will boost your skill set.', 'none'],
    ["If you don't work for a company that has PMs, the leap may be too large.", 'none'],
  ])('"%s" leans on %s', (sentence, leaning) => {
    expect(leaningOf(sentence)).toBe(leaning);
  });
});

describe('askerVerb', () => {
  it('gives the verb of a yes-no question the asker asks about themself', () => {
    expect(askerVerb('Am I kidding myself?')).toBe('kidding');
    expect(askerVerb('Could I pull this off?')).toBe('pull');
    expect(askerVerb('How do I fix my brakes?')).toBeNull();
    expect(askerVerb('Where do I even begin?')).toBe('begin');
    expect(askerVerb('How should I proceed from here?')).toBe('proceed');
    expect(askerVerb('Is it worth it?')).toBeNull();
  });
});

describe('idiomStems', () => {
  it('gives the words of a figure of speech, which name no subject', () => {
    expect([...idiomStems('what do designers bring to the table as PMs?')]).toEqual([stem('table')]);
    expect(idiomStems('Where should the table go in my kitchen?').size).toBe(0);
  });
});
