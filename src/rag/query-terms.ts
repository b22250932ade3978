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
    const known = embedder.knowsTerm(termStem);
    // Words the corpus lacks are looked up among related words (WordNet, fitted at ingest).
    const matches = new Set([termStem, ...synonymsOf(termStem), ...(known ? [] : (embedder.related.get(termStem) ?? []))]);
    // A word the corpus lacks but whose synonym it has is a vocabulary gap, not a new topic:
    // weigh it like its best-known synonym.
    const knownMatches = [...matches].filter((m) => embedder.knowsTerm(m)).map((m) => embedder.termIdf(m));
    const idf = known || knownMatches.length === 0 ? embedder.termIdf(termStem) : knownMatches.reduce((a, b) => a + b, 0) / knownMatches.length;
    terms.push({ stem: termStem, idf, matches });
  }
  return terms;
}

/** Total weight of one question word's stand-ins, shared among them. */
const EXPANSION_BUDGET = 0.6;

/**
 * Stand-in stems (synonyms, related words) not in the question itself, each with a weight:
 * a word's stand-ins share one budget, so a word with twenty loose relatives does not
 * outweigh the words the person actually typed.
 */
export function expansionTerms(terms: QueryTerm[]): Map<string, number> {
  const own = new Set(terms.map((t) => t.stem));
  const out = new Map<string, number>();
  for (const term of terms) {
    const extra = [...term.matches].filter((m) => !own.has(m));
    const weight = EXPANSION_BUDGET / Math.sqrt(extra.length || 1);
    for (const match of extra) out.set(match, Math.max(out.get(match) ?? 0, weight));
  }
  return out;
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
