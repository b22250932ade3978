import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/corpus/types.ts';
import type { LoadedIndex } from '../../src/index/loaded-index.ts';
import { ChunkFeatures } from '../../src/rag/chunk-features.ts';
import { combineScores, phraseMatchShares, relativeLexicalScores } from '../../src/rag/retrieve.ts';
import { contentTerms } from '../../src/text/analyze.ts';

/** Positions ordered by their combined score, best first. */
const ranked = (scores: Map<number, number>) => [...scores].sort((a, b) => b[1] - a[1]).map(([position]) => position);

/**
 * Rank fusion keeps only each list's order; BM25's scores, as shares of the best, keep its
 * margin: a passage it scores far above the rest rises over one that only ranks a little
 * better in fusion, while a near tie does not overturn fusion's order.
 */
describe('lexical scores on top of rank fusion', () => {
  const combine = (fused: Map<number, number>, lexical: Map<number, number>) =>
    new Map([...fused].map(([p, score]) => [p, combineScores(score, lexical.get(p) ?? 0, 0)]));

  it('lifts the passage BM25 scores far above the rest over a slightly better fused one', () => {
    // Passage 7: first in BM25 by a wide margin (24 against 7), third after fusion.
    const fused = new Map([
      [1, 1.0],
      [2, 0.98],
      [7, 0.9],
      [3, 0.8],
    ]);
    const lexical = relativeLexicalScores([
      { position: 7, score: 24 },
      { position: 1, score: 6.7 },
      { position: 2, score: 6.6 },
      { position: 3, score: 6.0 },
    ]);
    expect(ranked(combine(fused, lexical))[0]).toBe(7);
  });

  it('leaves fusion order alone on a near tie, and keeps every score within 0..1', () => {
    const fused = new Map([
      [1, 1.0],
      [2, 0.97],
      [3, 0.95],
    ]);
    // A lead of 0.4 % in BM25, in reverse of fusion's order.
    const lexical = relativeLexicalScores([
      { position: 3, score: 5.02 },
      { position: 2, score: 5.01 },
      { position: 1, score: 5.0 },
    ]);
    const combined = combine(fused, lexical);
    expect(ranked(combined)).toEqual([1, 2, 3]);
    for (const score of combined.values()) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    expect(combineScores(1, 1, 1)).toBe(1);
  });
});

/**
 * Term proximity: a passage with the question's adjacent words side by side ("a digital
 * marketer at an agency") gains over one with the same words apart; pairs of common words
 * count for little, and pairs with a word the corpus lacks are left out.
 */
describe('phrase matches', () => {
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
  const known = new Set(chunks.flatMap((c) => contentTerms(c.text)));
  // IDF: "product" and "manag" are everywhere, the rest rare.
  const index = {
    chunks,
    chunkFeatures: new ChunkFeatures(undefined as never),
    localEmbedder: {
      knowsTerm: (stem: string) => known.has(stem),
      termIdf: (stem: string) => (['product', 'manag'].includes(stem) ? 0.1 : 2),
    },
  } as unknown as LoadedIndex;
  const shares = (question: string) => phraseMatchShares(index, [0, 1, 2], contentTerms(question));

  it('gives the share of the question pairs a passage has side by side', () => {
    const found = shares("I'm a digital marketer at an agency, what next?");
    // digital+marketer and marketer+agency, of those two ("agency next": "next" is no corpus word).
    expect(found.get(1)).toBeCloseTo(1);
    expect(found.has(0)).toBe(false);
  });

  it('lifts the passage that has the question words side by side over a slightly better fused one', () => {
    const found = shares("I'm a digital marketer at an agency, what next?");
    expect(combineScores(0.95, 0, found.get(1) ?? 0)).toBeGreaterThan(combineScores(1, 0, found.get(0) ?? 0));
  });

  it('gives little for a pair of words every passage uses', () => {
    const found = shares('how does product management work for a digital marketer?');
    expect(found.get(2)!).toBeLessThan(0.05);
    expect(combineScores(1, 0, found.get(0) ?? 0)).toBeGreaterThan(combineScores(0.99, 0, found.get(2) ?? 0));
  });
});
