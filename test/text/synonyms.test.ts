import { describe, expect, it } from 'vitest';
import { stem } from '../../src/text/analyze.ts';
import { synonymsOf } from '../../src/text/synonyms.ts';

describe('synonymsOf', () => {
  it.each([
    ['rep', 'sales'],
    ['sdr', 'sales'],
    ['developer', 'engineer'],
    ['mktg', 'marketing'],
    ['employer', 'company'],
  ])('takes the everyday "%s" for the guide\'s "%s", both ways', (everyday, guide) => {
    expect(synonymsOf(stem(everyday))).toContain(stem(guide));
    expect(synonymsOf(stem(guide))).toContain(stem(everyday));
  });

  it('never lists a word as its own synonym, and knows nothing of words outside the list', () => {
    expect(synonymsOf(stem('sales'))).not.toContain(stem('sales'));
    expect(synonymsOf(stem('risotto')).size).toBe(0);
  });
});
