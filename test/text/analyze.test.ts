import { describe, expect, it } from 'vitest';
import { contentTerms, contentWords, isStopword, words } from '../../src/text/analyze.ts';

const content = (text: string) => contentWords(text).filter((w) => w !== null);

describe('words', () => {
  it('normalises case, accents and curly apostrophes, and drops the possessive', () => {
    expect(words('Café’s Résumé, PM’s day')).toEqual(['cafe', 'resume', 'pm', 'day']);
  });
});

describe('isStopword', () => {
  it('takes a function word with a clitic for a function word, and nothing else', () => {
    for (const word of ["who've", "could've", "that'll", "there'd", 'without', 'might'])
      expect(isStopword(word)).toBe(true);
    for (const word of ["manager'd", "pm've", 'product']) expect(isStopword(word)).toBe(false);
  });

  it('lists the forms of a listed word together: "wants" beside "want", "lots" beside "lot", "ex" of "ex-military"', () => {
    for (const word of ['want', 'wants', 'wanted', 'know', 'knows', 'think', 'thinks', 'lot', 'lots', 'ex'])
      expect(isStopword(word), word).toBe(true);
  });
});

describe('contentWords', () => {
  it('puts null where a stop word stands, keeping positions for the word pairs around it', () => {
    expect(contentWords('the sales team')).toEqual([null, 'sales', 'team']);
  });

  it('keeps "any" after a preposition ("from any industry"), even past a hedge, and drops it elsewhere', () => {
    expect(content('can I switch from any industry?')).toEqual(['switch', 'any', 'industry']);
    expect(content('from literally any field')).toEqual(['any', 'field']);
    expect(content('Any tips for a beginner?')).toEqual(['tips', 'beginner']);
    expect(content('do you have any advice')).toEqual(['advice']);
    expect(content('from, any field')).toEqual(['field']);
  });

  it('keeps "tell" where it is asked about, and drops it where it frames the question', () => {
    expect(content('should I tell my boss?')).toEqual(['tell', 'boss']);
    expect(content('tell me a joke')).toEqual(['joke']);
    expect(content('can you tell me more')).toEqual([]);
    expect(content('how can I tell if a melon is ripe')).toEqual(['how', 'melon', 'ripe']);
    // Only when the frame word follows directly: punctuation ends the phrase.
    expect(content('what do I tell? me, I would wait')).toEqual(['tell', 'wait']);
    expect(content('tell tell me')).toEqual(['tell']);
  });

  it('agrees with contentTerms, which stems the same words', () => {
    expect(contentTerms('Should I tell my manager from any team?')).toEqual(['tell', 'manag', 'ani', 'team']);
  });
});
