import type { LocalEmbeddings } from '../embeddings/local-embeddings.ts';
import { contentTerms } from '../text/analyze.ts';
import { synonymsOf } from '../text/synonyms.ts';

/**
 * A content word of the question, its weight, and the stems that count as a match for it,
 * each with the credit a match earns: the word itself 1, a listed synonym less, a WordNet
 * relative (broader or narrower, sometimes loose) least.
 */
export interface QueryTerm {
  stem: string;
  idf: number;
  matches: ReadonlyMap<string, number>;
  /** Neither the word nor any stand-in occurs in the corpus: often the topic of an off-topic question. */
  unknown: boolean;
}

const SYNONYM_CREDIT = 0.8;
const RELATED_CREDIT = 0.4;

/** Distinct content terms of a question (numbers left out), weighted by corpus IDF. */
export function queryTerms(text: string, embedder: LocalEmbeddings): QueryTerm[] {
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  for (const termStem of contentTerms(text)) {
    if (seen.has(termStem) || /^\d+$/.test(termStem)) continue;
    seen.add(termStem);
    const known = embedder.knowsTerm(termStem);
    const matches = new Map<string, number>([[termStem, 1]]);
    for (const synonym of synonymsOf(termStem)) if (!matches.has(synonym)) matches.set(synonym, SYNONYM_CREDIT);
    // Words the corpus lacks are looked up among related words (WordNet, fitted at ingest).
    if (!known) for (const relative of embedder.related.get(termStem) ?? []) if (!matches.has(relative)) matches.set(relative, RELATED_CREDIT);
    // A word the corpus lacks but whose stand-ins it has is a vocabulary gap, not a new
    // topic: weigh it like its stand-ins, on average.
    const standIns = [...matches.keys()].filter((m) => m !== termStem && embedder.knowsTerm(m)).map((m) => embedder.termIdf(m));
    const idf = known || standIns.length === 0 ? embedder.termIdf(termStem) : standIns.reduce((a, b) => a + b, 0) / standIns.length;
    terms.push({ stem: termStem, idf, matches, unknown: !known && standIns.length === 0 });
  }
  return terms;
}

/**
 * Stand-in stems not in the question itself, each with a weight for searching: one word's
 * stand-ins share its credit, so a word with twenty loose relatives does not outweigh the
 * words the person actually typed.
 */
export function expansionTerms(terms: QueryTerm[]): Map<string, number> {
  const own = new Set(terms.map((t) => t.stem));
  const out = new Map<string, number>();
  for (const term of terms) {
    const extra = [...term.matches].filter(([m]) => !own.has(m));
    for (const [match, credit] of extra) {
      const weight = (0.75 * credit) / Math.sqrt(extra.length);
      out.set(match, Math.max(out.get(match) ?? 0, weight));
    }
  }
  return out;
}

/** IDF-weighted, credit-weighted share of the query terms found in a set of stems, in [0, 1]. */
export function coverage(terms: QueryTerm[], stems: ReadonlySet<string>): number {
  let total = 0;
  let found = 0;
  for (const term of terms) {
    total += term.idf;
    let best = 0;
    for (const [match, credit] of term.matches) if (credit > best && stems.has(match)) best = credit;
    found += term.idf * best;
  }
  return total > 0 ? found / total : 0;
}
