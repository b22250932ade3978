import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/corpus/types.ts';
import type { StoredDocument } from '../../src/index/loaded-index.ts';
import { citationFor, markersIn, repairMarkers, tidySpacing } from '../../src/rag/citations.ts';
import type { Passage } from '../../src/rag/types.ts';

const P = ['p1', 'p2', 'p3', 'p4'];

describe('repairMarkers', () => {
  it('renumbers markers 1..n in order of first use and keeps only the passages used', () => {
    expect(repairMarkers('First claim [3][1]. Another [3].', P)).toEqual({
      answer: 'First claim [1][2]. Another [1].',
      used: ['p3', 'p1'],
    });
  });

  it('drops out-of-range markers ([0], beyond the passages) and tidies the spacing they leave', () => {
    expect(repairMarkers('Claim [7]. Other claim [0]. Real one [2].', P)).toEqual({
      answer: 'Claim. Other claim. Real one [1].',
      used: ['p2'],
    });
    expect(repairMarkers('Claim [5], then more [4].', P)).toEqual({ answer: 'Claim, then more [1].', used: ['p4'] });
  });

  it('leaves an answer with no valid marker with no passages (so it is not grounded)', () => {
    expect(repairMarkers('No markers here.', P)).toEqual({ answer: 'No markers here.', used: [] });
    expect(repairMarkers('Only bad ones [9] [12].', P).used).toEqual([]);
    expect(repairMarkers('Anything [1].', []).used).toEqual([]);
  });

  it('keeps an answer already numbered 1..n as it is', () => {
    const answer = 'One [1]. Two [2]. Both [1][2].';
    expect(repairMarkers(answer, P)).toEqual({ answer, used: ['p1', 'p2'] });
  });

  it('treats a marker with leading zeros as its number', () => {
    expect(repairMarkers('Claim [02].', P)).toEqual({ answer: 'Claim [1].', used: ['p2'] });
  });

  it('always yields ids 1..n, each used, whatever the markers', () => {
    for (const answer of ['[4][4][2] a [9] b [1]', 'x [3] y [3] z [2] [1] [4]', '[10] [2] [0] [1]']) {
      const { answer: fixed, used } = repairMarkers(answer, P);
      const ids = markersIn(fixed);
      expect(new Set(ids)).toEqual(new Set(used.map((_, i) => i + 1)));
      // First uses come in order 1, 2, 3...
      const firsts = ids.filter((id, i) => ids.indexOf(id) === i);
      expect(firsts).toEqual(used.map((_, i) => i + 1));
    }
  });
});

describe('tidySpacing and markersIn', () => {
  it('closes the gaps removed markers leave before punctuation and between words', () => {
    expect(tidySpacing('word  . next ,  and  more ')).toBe('word. next, and more');
  });

  it('lists marker numbers in order of appearance', () => {
    expect(markersIn('a [2] b [10] c [2] [x] [1234]')).toEqual([2, 10, 2]);
  });
});

describe('citationFor', () => {
  const chunk: Chunk = {
    id: 'c1',
    document: 'my guide',
    section: 'Moving from Sales to Product Management',
    headingPath: ['Guide', 'Moving from Sales to Product Management'],
    anchor: 'moving-from-sales-to-product-management',
    start: 0,
    end: 10,
    text: 'Sales text.',
    hash: 'h',
  };
  const passage: Passage = { chunk, score: 0.83456, vectorScore: 0.5, coverage: 0.5 };
  const doc = {
    id: 'my guide',
    title: 'Guide',
    sourceUrl: 'https://example.com/guide',
    author: null,
    published: null,
    updated: null,
    markdown: '',
    sha256: '',
  } as StoredDocument;

  it('links the rendered section, points into the original at the quote, quotes the passage, rounds the score', () => {
    expect(citationFor(passage, 2, doc)).toEqual({
      id: 2,
      document: 'my guide',
      section: 'Moving from Sales to Product Management',
      anchor: 'moving-from-sales-to-product-management',
      url: '/source/my%20guide#moving-from-sales-to-product-management',
      sourceUrl: 'https://example.com/guide#:~:text=Sales%20text.',
      quote: 'Sales text.',
      score: 0.835,
    });
  });

  it('falls back to the rendered copy when the document has no source_url, and takes an explicit quote', () => {
    const citation = citationFor(passage, 1, { ...doc, sourceUrl: null }, 'Sales');
    expect(citation.sourceUrl).toBe(citation.url);
    expect(citation.sourceUrl).not.toContain(':~:');
    expect(citation.quote).toBe('Sales');
  });
});
