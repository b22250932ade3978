import { describe, expect, it } from 'vitest';
import { looksLikeDegree, looksLikeModifier, looksLikeQualifier } from '../../src/text/word-shape.ts';

describe('word shapes', () => {
  it.each(['realistic', 'stressful', 'frazzled', 'seriously', 'technical', 'affordable'])(
    '"%s" is shaped like an adjective or adverb',
    (word) => expect(looksLikeModifier(word)).toBe(true),
  );

  it.each(['salary', 'visa', 'books', 'soldier', 'priest', 'interview', 'bed', 'fly'])(
    '"%s" is not shaped like an adjective or adverb',
    (word) => expect(looksLikeModifier(word)).toBe(false),
  );

  it.each(['biggest', 'smartest', 'easier', 'busiest'])('"%s" is shaped like a comparative or superlative', (word) => {
    expect(looksLikeDegree(word)).toBe(true);
    expect(looksLikeQualifier(word)).toBe(true);
  });

  it('keeps nouns that end like a superlative out of the modifiers (a question about them is still asked)', () => {
    for (const noun of ['soldier', 'priest', 'interest', 'cashier']) {
      expect(looksLikeModifier(noun)).toBe(false);
      expect(looksLikeDegree(noun)).toBe(true);
    }
  });
});
