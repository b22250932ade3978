import { describe, expect, it } from 'vitest';
import { asksAboutWhatCameBefore, setsUpWhatFollows, signposts } from '../../src/text/discourse.ts';

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
    expect(setsUpWhatFollows("It's recommended that you transfer to a marketing role.")).toBe(false);
  });
});
