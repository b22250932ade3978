import { describe, expect, it } from 'vitest';
import { parseSolrSynonyms, SynonymSyntaxError } from '../../src/text/solr-synonyms.ts';

describe('parseSolrSynonyms', () => {
  it('reads equivalences, normalising case and spaces', () => {
    expect(parseSolrSynonyms('PM,  Product   Manager , pm lead')).toEqual([
      { kind: 'equivalent', line: 1, terms: ['pm', 'product manager', 'pm lead'] },
    ]);
  });

  it('reads one-way mappings with several terms on each side', () => {
    expect(parseSolrSynonyms('mktg, mkting => marketing, growth marketing')).toEqual([
      { kind: 'mapping', line: 1, from: ['mktg', 'mkting'], to: ['marketing', 'growth marketing'] },
    ]);
  });

  it('keeps multi-word terms whole', () => {
    const [rule] = parseSolrSynonyms('PRD, product requirements document');
    expect(rule).toEqual({ kind: 'equivalent', line: 1, terms: ['prd', 'product requirements document'] });
  });

  it('skips comments and blank lines, and counts lines as written', () => {
    const rules = parseSolrSynonyms('# roles\n\n   # indented comment\r\nux, user experience\n\n\na => b\n');
    expect(rules.map((r) => [r.kind, r.line])).toEqual([
      ['equivalent', 4],
      ['mapping', 7],
    ]);
  });

  it('takes a backslash-escaped comma or arrow as part of a term', () => {
    expect(parseSolrSynonyms('r\\,d, research and development')[0]).toMatchObject({
      terms: ['r,d', 'research and development'],
    });
    expect(parseSolrSynonyms('a \\=> b, c')[0]).toMatchObject({ kind: 'equivalent', terms: ['a => b', 'c'] });
  });

  it.each([
    ['a, , b', 1, /empty term in the list/],
    ['a, b,', 1, /empty term/],
    ['ok, fine\n=> b', 2, /no term before "=>"/],
    ['a =>', 1, /no term after "=>"/],
    ['a => b => c', 1, /more than one "=>"/],
    ['a, b\nc => d, ', 2, /empty term after "=>"/],
  ])('refuses %j, naming line %i', (source, line, reason) => {
    const error = (() => {
      try {
        parseSolrSynonyms(source);
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SynonymSyntaxError);
    expect((error as SynonymSyntaxError).line).toBe(line);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).toMatch(new RegExp(`^line ${line}: `));
  });
});
