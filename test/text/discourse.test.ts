import { describe, expect, it } from 'vitest';
import { asksAboutWhatCameBefore } from '../../src/text/discourse.ts';

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
