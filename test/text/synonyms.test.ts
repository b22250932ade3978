import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stem } from '../../src/text/analyze.ts';
import { parseSolrSynonyms } from '../../src/text/solr-synonyms.ts';
import { SynonymTable } from '../../src/text/synonyms.ts';
import { realCorpusDir } from '../helpers/temp-dir.ts';

const tableOf = (source: string) => SynonymTable.fromRules(parseSolrSynonyms(source));

describe('SynonymTable', () => {
  it('makes every term of an equivalence stand for the others, by stem, never for itself', () => {
    const table = tableOf('developer, engineer, coder');
    expect([...table.of(stem('developers'))].sort()).toEqual([stem('coder'), stem('engineer')].sort());
    expect(table.of(stem('engineer'))).toContain(stem('developer'));
    expect(table.of(stem('engineer'))).not.toContain(stem('engineer'));
    expect(table.of(stem('risotto')).size).toBe(0);
  });

  it('maps one way only with =>', () => {
    const table = tableOf('mktg, mkting => marketing');
    expect([...table.of(stem('mktg'))]).toEqual([stem('marketing')]);
    expect([...table.of(stem('mkting'))]).toEqual([stem('marketing')]);
    expect(table.of(stem('marketing')).size).toBe(0);
  });

  it('lets a one-word term stand for the content words of a phrase, and keeps phrases apart', () => {
    const table = tableOf('PRD, product requirements document\nhead of product => product lead');
    expect([...table.of(stem('PRD'))].sort()).toEqual([stem('document'), stem('product'), stem('requirements')].sort());
    // A single word of a phrase is not the phrase: "requirements" alone is not a PRD.
    expect(table.of(stem('requirements')).size).toBe(0);
    expect(table.phrases.map((p) => p.stems)).toEqual([
      [stem('product'), stem('requirements'), stem('document')],
      [stem('head'), stem('product')],
    ]);
  });
});

describe('corpus/synonyms.txt (the shipped guide’s vocabulary)', () => {
  it.each([
    ['rep', 'sales'],
    ['sdr', 'sales'],
    ['developer', 'engineer'],
    ['mktg', 'marketing'],
    ['employer', 'company'],
  ])('takes the everyday "%s" for the guide\'s "%s", both ways', async (everyday, guide) => {
    const table = tableOf(await readFile(join(realCorpusDir, 'synonyms.txt'), 'utf8'));
    expect(table.of(stem(everyday))).toContain(stem(guide));
    expect(table.of(stem(guide))).toContain(stem(everyday));
  });
});
