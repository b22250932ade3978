/**
 * The Solr synonyms format (shared by Solr, Elasticsearch and OpenSearch):
 *
 *   # a comment
 *   PRD, product requirements document      equivalent terms (any of them matches the others)
 *   tv, telly => television                 one-way: a question saying "tv" also looks for "television"
 *
 * A term may be several words. A backslash escapes the next character (`\,` is a comma
 * inside a term). Terms are kept as written apart from whitespace and case; what a term
 * means for search (its words' stems) is decided by the synonym table, not here.
 */

/** One line of a synonyms file. `equivalent`: every term stands for every other; `mapping`: `from` terms stand for `to` terms. */
export type SynonymRule =
  | { kind: 'equivalent'; line: number; terms: string[] }
  | { kind: 'mapping'; line: number; from: string[]; to: string[] };

/** A line that is not in the format; `line` is 1-based. */
export class SynonymSyntaxError extends Error {
  override name = 'SynonymSyntaxError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** Parse a whole synonyms file. Throws SynonymSyntaxError at the first bad line. */
export function parseSolrSynonyms(source: string): SynonymRule[] {
  const rules: SynonymRule[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    const rule = parseLine(raw, i + 1);
    if (rule) rules.push(rule);
  });
  return rules;
}

function parseLine(raw: string, line: number): SynonymRule | null {
  const text = raw.trim();
  if (text === '' || text.startsWith('#')) return null;
  const sides = splitUnescaped(text, '=>');
  if (sides.length > 2) throw new SynonymSyntaxError(line, 'more than one "=>"');
  if (sides.length === 2) {
    const from = terms(sides[0]!, line, 'before "=>"');
    const to = terms(sides[1]!, line, 'after "=>"');
    return { kind: 'mapping', line, from, to };
  }
  return { kind: 'equivalent', line, terms: terms(text, line, 'in the list') };
}

/** The comma-separated terms of one side, unescaped and normalised; an empty term is an error. */
function terms(side: string, line: number, where: string): string[] {
  if (side.trim() === '') throw new SynonymSyntaxError(line, `no term ${where}`);
  return splitUnescaped(side, ',').map((part) => {
    const term = unescapeBackslashes(part).trim().replace(/\s+/g, ' ').toLowerCase();
    if (term === '')
      throw new SynonymSyntaxError(line, `empty term ${where} (two commas in a row, or a comma at an end)`);
    return term;
  });
}

/** Split on `separator` where it is not preceded by an escaping backslash; escapes are kept for `unescapeBackslashes`. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      i += separator.length - 1;
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unescapeBackslashes(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}
