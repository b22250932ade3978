import { isStopword, stem, words } from './analyze.ts';
import type { SynonymRule } from './solr-synonyms.ts';

const NONE: ReadonlySet<string> = new Set();

/**
 * The owner's vocabulary (corpus/synonyms.txt), as stems, for questions only (never the
 * corpus): "I'm a developer" should find a passage about engineers, "PRD" one that says
 * "product requirements document". Built once per loaded index from the rules stored in it.
 *
 * A term of one word is looked up by its stem; what it stands for may be one word or several
 * (a phrase contributes the stems of its content words, each as a match for the one word).
 * A term of several words is kept in `phrases`: a question's single stems never look it up.
 *
 * @example
 *   const table = SynonymTable.fromRules(parseSolrSynonyms('PRD, product requirements document'));
 *   table.of(stem('prd')); // Set { 'product', 'requir', 'document' }
 */
export class SynonymTable {
  static readonly empty = new SynonymTable(new Map(), []);

  private constructor(
    private readonly byStem: ReadonlyMap<string, ReadonlySet<string>>,
    /** Multi-word terms and the stems they stand for. */
    readonly phrases: ReadonlyArray<{ stems: readonly string[]; standsFor: ReadonlySet<string> }>,
  ) {}

  static fromRules(rules: readonly SynonymRule[]): SynonymTable {
    const byStem = new Map<string, Set<string>>();
    const phrases: Array<{ stems: string[]; standsFor: Set<string> }> = [];
    const link = (from: string, to: readonly string[]) => {
      const fromStems = termStems(from);
      const targets = to.flatMap(termStems).filter((s) => !fromStems.includes(s));
      if (targets.length === 0) return;
      if (fromStems.length === 1) {
        const set = byStem.get(fromStems[0]!) ?? new Set<string>();
        for (const target of targets) set.add(target);
        byStem.set(fromStems[0]!, set);
      } else if (fromStems.length > 1) {
        phrases.push({ stems: fromStems, standsFor: new Set(targets) });
      }
    };
    for (const rule of rules) {
      if (rule.kind === 'mapping') {
        for (const from of rule.from) link(from, rule.to);
      } else {
        for (const term of rule.terms)
          link(
            term,
            rule.terms.filter((other) => other !== term),
          );
      }
    }
    return new SynonymTable(byStem, phrases);
  }

  /** Stems that stand in for this stem in a question (empty when none are listed). */
  of(termStem: string): ReadonlySet<string> {
    return this.byStem.get(termStem) ?? NONE;
  }

  get size(): number {
    return this.byStem.size + this.phrases.length;
  }
}

/**
 * The stems a term means: a single word is stemmed as it is (even a stop word: "it" may be
 * the owner's abbreviation); in a phrase, stop words are left out ("head of product").
 */
function termStems(term: string): string[] {
  const list = words(term);
  if (list.length === 1) return [stem(list[0]!)];
  return [...new Set(list.filter((w) => !isStopword(w)).map((w) => stem(w)))];
}
