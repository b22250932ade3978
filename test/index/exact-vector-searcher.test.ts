import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactVectorSearcher } from '../../src/index/vector-searcher.ts';

/** The reference: every row scored in order, then a stable sort by score. */
function reference(rows: number[][], query: number[], k: number) {
  const scored = rows.map((row, position) => ({ position, score: row.reduce((sum, v, i) => sum + v * query[i]!, 0) }));
  return scored.sort((a, b) => b.score - a.score).slice(0, k);
}

describe('ExactVectorSearcher', () => {
  it('returns the same top k as scoring every row and sorting, for any rows, query and k', () => {
    const dims = 7; // not a multiple of the unrolled loop's 4
    const row = fc.array(fc.float({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true }), {
      minLength: dims,
      maxLength: dims,
    });
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 0, maxLength: 40 }),
        row,
        fc.integer({ min: 0, max: 50 }),
        (rows, query, k) => {
          const searcher = new ExactVectorSearcher(Float32Array.from(rows.flat()), dims);
          const asStored = rows.map((r) => Array.from(Float32Array.from(r)));
          const expected = reference(asStored, Array.from(Float32Array.from(query)), k);
          const actual = searcher.search(Float32Array.from(query), k);
          // Same length, same scores in the same order, each hit's score its own row's score
          // (rows whose scores differ only by rounding may trade places; ties are tested below).
          expect(actual).toHaveLength(expected.length);
          actual.forEach((hit, i) => {
            expect(hit.score).toBeCloseTo(expected[i]!.score, 5);
            expect(hit.score).toBeCloseTo(
              reference([asStored[hit.position]!], Array.from(Float32Array.from(query)), 1)[0]!.score,
              5,
            );
          });
          expect(new Set(actual.map((h) => h.position)).size).toBe(actual.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the earlier row first on ties and accepts a plain array query', () => {
    const searcher = new ExactVectorSearcher(Float32Array.from([1, 0, 0, 1, 1, 0, 0.5, 0.5]), 2);
    expect(searcher.search([1, 0], 3)).toEqual([
      { position: 0, score: 1 },
      { position: 2, score: 1 },
      { position: 3, score: 0.5 },
    ]);
  });
});
