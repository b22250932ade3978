import { describe, expect, it } from 'vitest';
import { fitLocalEmbedder, LocalEmbeddings } from '../../src/embeddings/local-embeddings.ts';
import { queryTerms } from '../../src/rag/query-terms.ts';
import { stem } from '../../src/text/analyze.ts';
import { oneSlipAway } from '../../src/text/spelling.ts';

const corpusStems = new Set(['product', 'manag', 'market', 'custom', 'career'].map((w) => stem(w)));
const accept = (s: string) => corpusStems.has(s);

describe('oneSlipAway', () => {
  it.each([
    ['prodcut', 'product'], // letters swapped
    ['prduct', 'product'], // one left out
    ['producct', 'product'], // one doubled
    ['prodyct', 'product'], // one struck for another
    ['managment', 'management'], // corrected, then stemmed like the corpus: manag
    ['carreer', 'career'],
  ])('corrects "%s" to the stem of "%s"', (typo, word) => {
    expect(oneSlipAway(typo, accept)).toEqual([stem(word)]);
  });

  it('keeps the first letter: a word that differs only there is most often another word', () => {
    const accepts = (...words: string[]) => {
      const stems = new Set(words.map(stem));
      return (s: string) => stems.has(s);
    };
    // "table" is not a slip for "able", nor "night" for "right".
    expect(oneSlipAway('table', accepts('able'))).toEqual([]);
    expect(oneSlipAway('night', accepts('right'))).toEqual([]);
    // A swap of the first two letters still is.
    expect(oneSlipAway('rpoduct', accept)).toEqual([stem('product')]);
  });

  it('finds nothing for a word two slips away or a word unlike any corpus word', () => {
    expect(oneSlipAway('pordcut', accept)).toEqual([]);
    expect(oneSlipAway('kubernetes', accept)).toEqual([]);
  });

  it('never tries a word longer than a real one: a 2,000-letter "word" costs nothing', () => {
    let calls = 0;
    const counting = () => {
      calls++;
      return true;
    };
    expect(oneSlipAway('a'.repeat(2000), counting)).toEqual([]);
    expect(oneSlipAway('a'.repeat(21), counting)).toEqual([]);
    expect(calls).toBe(0);
  });

  it('leaves short words, numbers and non-letters alone', () => {
    const anything = () => true;
    expect(oneSlipAway('mrkt', anything)).toEqual([]);
    expect(oneSlipAway('b2b2b', anything)).toEqual([]);
    expect(oneSlipAway('café1', anything)).toEqual([]);
  });

  it('never corrects to a stop word', () => {
    // "wuold" is one slip from "would", which a question's analysis drops anyway.
    expect(oneSlipAway('wuold', () => true)).not.toContain('would');
  });
});

describe('spelling in query terms', () => {
  const guide = ['Product managers talk to customers.', 'Marketing knows the market.', 'Experience matters.'];
  // A fresh embedder per test: corrections are memoised per index, and a memoised one costs nothing.
  const freshEmbedder = () => new LocalEmbeddings(fitLocalEmbedder(guide, 64));
  const embedder = freshEmbedder();

  it('matches a misspelt word through its correction, so it has synonym evidence', () => {
    const term = queryTerms('how do I get into prodcut?', embedder).find((t) => t.stem === 'prodcut')!;
    expect(term.evidence).toBe('synonym');
    expect(term.matches.get(stem('product'))).toBeGreaterThan(0);
  });

  it('corrects the word as typed, not its stem ("expereince" stems to a non-word)', () => {
    const term = queryTerms('all my expereince is in retail', embedder).find((t) => t.stem === stem('expereince'))!;
    expect(term.matches.get(stem('experience'))).toBe(0.8);
  });

  it('tries corrections on a few words per question only, so a long question of nonsense stays cheap', () => {
    const typos = ['prodcut', 'prduct', 'producct', 'prodyct', 'custmers', 'cusotmers', 'markteing', 'marekt'];
    const terms = queryTerms(typos.join(' '), freshEmbedder());
    const corrected = typos.filter((typo) => terms.find((t) => t.stem === stem(typo))!.evidence !== 'none');
    expect(corrected).toEqual(typos.slice(0, 6));
  });

  it('does not spend that budget on words too short to correct (acronyms)', () => {
    const terms = queryTerms('okr kpi roi gtm mvp cac sql: how do I learn prodcut sense?', freshEmbedder());
    expect(terms.find((t) => t.stem === 'prodcut')!.evidence).toBe('synonym');
  });

  it('leaves a word with no correction without evidence', () => {
    const term = queryTerms('how do I set up kubernetes?', embedder).find((t) => t.stem === stem('kubernetes'))!;
    expect(term.evidence).toBe('none');
  });
});
