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

  it('finds nothing for a word two slips away or a word unlike any corpus word', () => {
    expect(oneSlipAway('pordcut', accept)).toEqual([]);
    expect(oneSlipAway('kubernetes', accept)).toEqual([]);
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
  const embedder = new LocalEmbeddings(fitLocalEmbedder(['Product managers talk to customers.', 'Marketing knows the market.'], 64));

  it('matches a misspelt word through its correction, so it is no longer unknown', () => {
    const term = queryTerms('how do I get into prodcut?', embedder).find((t) => t.stem === 'prodcut')!;
    expect(term.unknown).toBe(false);
    expect(term.matches.get(stem('product'))).toBeGreaterThan(0);
  });

  it('tries corrections on a few words per question only, so a long question of nonsense stays cheap', () => {
    const typos = ['prodcut', 'prduct', 'producct', 'prodyct', 'custmers', 'cusotmers', 'markteing', 'marekt'];
    const terms = queryTerms(typos.join(' '), embedder);
    const corrected = typos.filter((typo) => !terms.find((t) => t.stem === stem(typo))!.unknown);
    expect(corrected).toEqual(typos.slice(0, 6));
  });

  it('keeps a word with no correction unknown', () => {
    const term = queryTerms('how do I set up kubernetes?', embedder).find((t) => t.stem === stem('kubernetes'))!;
    expect(term.unknown).toBe(true);
  });
});
