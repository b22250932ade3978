import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/corpus/types.ts';
import type { LoadedIndex } from '../../src/index/loaded-index.ts';
import { ChunkFeatures } from '../../src/rag/chunk-features.ts';
import { addPhraseMatches, addRelativeLexicalScores } from '../../src/rag/retrieve.ts';
import { contentTerms } from '../../src/text/analyze.ts';

/**
 * Rank fusion keeps only each list's order; the lexical scores added on top keep BM25's margin:
 * a passage it scores far above the rest rises over one that only ranks a little better in
 * fusion, while a narrow lexical lead does not overturn fusion's order.
 */
describe('relative lexical scores on top of rank fusion', () => {
  const ranked = (fused: Map<number, number>) => [...fused].sort((a, b) => b[1] - a[1]).map(([position]) => position);

  it('lifts the passage BM25 scores far above the rest over a slightly better fused one', () => {
    // Passage 7: first in BM25 by a wide margin (24 against 7), third after fusion.
    const fused = new Map([
      [1, 1.0],
      [2, 0.98],
      [7, 0.9],
      [3, 0.8],
    ]);
    addRelativeLexicalScores(fused, [
      { position: 7, score: 24 },
      { position: 1, score: 6.7 },
      { position: 2, score: 6.6 },
      { position: 3, score: 6.0 },
    ]);
    expect(ranked(fused)[0]).toBe(7);
  });

  it('leaves fusion order alone when the lexical scores are close, and keeps every score within 0..1', () => {
    const fused = new Map([
      [1, 1.0],
      [2, 0.7],
      [3, 0.5],
      [4, 0.45],
    ]);
    addRelativeLexicalScores(fused, [
      { position: 2, score: 8.0 },
      { position: 1, score: 7.9 },
      { position: 3, score: 3.0 },
    ]);
    expect(ranked(fused)).toEqual([1, 2, 3, 4]);
    for (const score of fused.values()) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });

  it('changes nothing when every lexical score is the same', () => {
    const fused = new Map([
      [1, 0.9],
      [2, 0.4],
    ]);
    addRelativeLexicalScores(fused, [
      { position: 2, score: 5 },
      { position: 1, score: 5 },
    ]);
    expect([...fused]).toEqual([
      [1, 0.9],
      [2, 0.4],
    ]);
  });
});

/**
 * Term proximity: a passage with the question's adjacent words side by side ("a digital
 * marketer at an agency") gains over one with the same words apart; pairs of common words
 * count for little.
 */
describe('phrase matches on top of rank fusion', () => {
  const chunk = (text: string): Chunk => ({
    id: text,
    document: 'd',
    section: 's',
    headingPath: [],
    anchor: 's',
    start: 0,
    end: text.length,
    text,
    hash: text,
  });
  const chunks = [
    chunk('Agencies value digital skills, and a marketer learns a lot there about customers.'),
    chunk("Let's say you're a digital marketer at an agency: move to a company that has product managers first."),
    chunk('Product management and product managers: what a product manager does all day.'),
  ];
  // IDF: "product" and "manag" are everywhere, the rest rare.
  const idf = (stem: string) => (['product', 'manag'].includes(stem) ? 0.1 : 2);
  const index = {
    chunks,
    chunkFeatures: new ChunkFeatures(undefined as never),
    localEmbedder: { termIdf: idf },
  } as unknown as LoadedIndex;

  it('lifts the passage that has the question words side by side', () => {
    // Fusion puts the passage with the words apart slightly ahead.
    const fused = new Map([
      [0, 1.0],
      [1, 0.95],
    ]);
    addPhraseMatches(index, fused, contentTerms("I'm a digital marketer at an agency, what next?"));
    expect(fused.get(1)!).toBeGreaterThan(fused.get(0)!);
    expect(Math.max(...fused.values())).toBeLessThanOrEqual(1);
  });

  it('gives little for a pair of words every passage uses', () => {
    // Passage 2 has only "product management" side by side; passage 0 no pair at all.
    const fused = new Map([
      [0, 1.0],
      [2, 0.99],
    ]);
    addPhraseMatches(index, fused, contentTerms('how does product management work for a digital marketer?'));
    expect(fused.get(0)!).toBeGreaterThan(fused.get(2)!);
  });
});
