import type { LocalEmbeddings } from '../embeddings/local-embeddings.ts';
import { contentTerms } from '../text/analyze.ts';
import { synonymsOf } from '../text/synonyms.ts';

/** A content word of the question, its weight, and the stems that count as a match for it. */
export interface QueryTerm {
  stem: string;
  idf: number;
  matches: ReadonlySet<string>;
}

/** Distinct content terms of a question, weighted by corpus IDF, with their synonyms. */
export function queryTerms(text: string, embedder: LocalEmbeddings): QueryTerm[] {
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  for (const termStem of contentTerms(text)) {
    if (seen.has(termStem)) continue;
    seen.add(termStem);
    const matches = new Set([termStem, ...synonymsOf(termStem)]);
    // A word the corpus lacks but whose synonym it has is a vocabulary gap, not a new topic:
    // weigh it like its best-known synonym.
    const idf = embedder.knowsTerm(termStem)
      ? embedder.termIdf(termStem)
      : Math.min(embedder.termIdf(termStem), ...[...matches].filter((m) => embedder.knowsTerm(m)).map((m) => embedder.termIdf(m)));
    terms.push({ stem: termStem, idf, matches });
  }
  return terms;
}

/** Synonym stems not in the question itself: added to searches with a lower weight. */
export function expansionTerms(terms: QueryTerm[]): string[] {
  const own = new Set(terms.map((t) => t.stem));
  const out = new Set<string>();
  for (const term of terms) for (const match of term.matches) if (!own.has(match)) out.add(match);
  return [...out];
}

/** IDF-weighted share of the query terms found in a set of stems, in [0, 1]. */
export function coverage(terms: QueryTerm[], stems: ReadonlySet<string>): number {
  let total = 0;
  let found = 0;
  for (const term of terms) {
    total += term.idf;
    for (const match of term.matches) {
      if (stems.has(match)) {
        found += term.idf;
        break;
      }
    }
  }
  return total > 0 ? found / total : 0;
}
