import { stem } from './analyze.ts';

/**
 * Everyday words for roles and career moves, mapped to the words guidance writing tends to
 * use. Applied to questions only (never to the corpus): "I'm a developer" should find a
 * passage about engineers, "SDR" one about sales, "mktg" one about marketing. General career
 * vocabulary and its common abbreviations, not a list of this article's sentences.
 */
const GROUPS: string[][] = [
  ['engineer', 'developer', 'programmer', 'coder', 'swe', 'software', 'coding', 'technical', 'dev', 'eng', 'engineering'],
  ['sales', 'salesperson', 'salespeople', 'seller', 'sdr', 'bdr', 'selling', 'quota', 'revenue', 'rep', 'representative'],
  ['design', 'designer', 'ux', 'ui', 'wireframe'],
  ['marketing', 'marketer', 'growth', 'brand', 'mktg'],
  ['consultant', 'consulting', 'consultancy', 'advisory'],
  ['project', 'pmp', 'scrum', 'delivery'],
  ['pm', 'product'],
  ['transition', 'switch', 'pivot', 'move', 'change', 'shift', 'career'],
  ['certified', 'certification', 'certificate', 'course', 'credential'],
  ['graduate', 'college', 'university', 'student', 'grad', 'apm'],
  ['hard', 'difficult', 'stressful', 'stress', 'tough', 'challenging'],
  ['skill', 'strength', 'ability', 'qualities', 'trait'],
  ['customer', 'user', 'client'],
  ['teacher', 'teaching', 'educator'],
  ['journalist', 'writer', 'reporter'],
  ['freelancer', 'freelance', 'contractor', 'self-employed'],
  ['company', 'employer', 'organization', 'firm'],
  ['experience', 'background'],
  ['management', 'manager', 'mgmt', 'mgr'],
  ['guide', 'article', 'blog'],
  ['transferable', 'transferrable'],
];

const byStem = new Map<string, Set<string>>();
for (const group of GROUPS) {
  const stems = group.map((w) => stem(w));
  for (const s of stems) {
    const set = byStem.get(s) ?? new Set<string>();
    for (const other of stems) if (other !== s) set.add(other);
    byStem.set(s, set);
  }
}

/** Stems that mean roughly what this stem means in a question (empty when none are known). */
export function synonymsOf(termStem: string): ReadonlySet<string> {
  return byStem.get(termStem) ?? new Set();
}
