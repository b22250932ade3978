import { corpusVocabulary, searchLexical } from '../index/lexical-index.ts';
import { embedsQuestionsRemotely, type LoadedIndex } from '../index/loaded-index.ts';
import { coverage, expansionTerms, isAsked, queryTerms, termWeights, type QueryTerm } from './query-terms.ts';
import type { Passage, RetrievalQuery } from './types.ts';
import { dot, normalizeInPlace } from '../vector.ts';
import { stemPairKey } from './chunk-features.ts';
import { contentTerms } from '../text/analyze.ts';

/** Reciprocal-rank fusion constant: 60 is the value from Cormack et al., robust across corpora. */
const RRF_K = 60;
/**
 * Weighted RRF: the offline hash embedder is the weaker of the two rankers on paraphrased
 * questions, so its ranks count a quarter: of 0.25, 0.5 and 1, `npm run eval` gave the best
 * or a tied top-1 and MRR at 0.25 on every question set it was tried on.
 * A model's embeddings (OpenAI-compatible) rank as well as BM25 or better, and count fully.
 */
const LEXICAL_WEIGHT = 1;
const LOCAL_VECTOR_WEIGHT = 0.25;
/** Weight of section-level agreement (see below) next to the passage's own ranks. */
const SECTION_WEIGHT = 1;
/**
 * Weight of the lexical scores themselves (as a share of the best) next to the fused ranks.
 * Rank fusion keeps only the order of each list, so a passage that BM25 scores far above the
 * rest (often the one naming the asker's own background) ranks like one barely ahead; the
 * score keeps that margin, as relative score fusion does.
 */
const LEXICAL_SCORE_WEIGHT = 0.5;
/**
 * Weight of the share of the question's word pairs a passage has (see phraseMatchShares).
 * Both weights come from a grid on `npm run eval` (lexical 0.2 to 0.6, pairs 0.1 to 0.25):
 * about half of it kept section top-1 on every set at or above its level without them (the
 * rest lost one question of probes.jsonl, a near tie), and this pair is in that half with the
 * best citation precision.
 */
const PHRASE_WEIGHT = 0.15;
/** How deep each retriever looks before fusion. */
const CANDIDATES = 24;
/** Weight of carried-over context and of synonym expansion in the query vector. */
const CONTEXT_WEIGHT = 0.45;
const EXPANSION_WEIGHT = 0.3;

export interface Retrieval {
  passages: Passage[];
  terms: QueryTerm[];
  /** The query vector in the local embedder's space, for sentence scoring. */
  localQueryVector: Float32Array;
}

/**
 * Hybrid retrieval: vector top-k and BM25 top-k fused with reciprocal-rank fusion, then
 * near-duplicates removed. Scores are reported per passage: fused relevance, cosine
 * similarity, and the share of the question's weighted terms the passage contains.
 */
export async function retrieve(
  index: LoadedIndex,
  query: RetrievalQuery,
  k: number,
  signal?: AbortSignal,
): Promise<Retrieval> {
  const fullText = query.context ? `${query.text}\n${query.context}` : query.text;
  const external = embedsQuestionsRemotely(index)
    ? Float32Array.from(await index.queryEmbedder.embedQuery(fullText))
    : undefined;
  signal?.throwIfAborted();
  return rank(index, query, fullText, k, external);
}

function rank(
  index: LoadedIndex,
  query: RetrievalQuery,
  fullText: string,
  k: number,
  externalQueryVector: Float32Array | undefined,
): Retrieval {
  const terms = queryTerms(query.text, index.localEmbedder, corpusVocabulary(index.lexical), query.context);
  const weights = termWeights(query.context ? contextWeighedLess(terms, query.text) : terms);
  const expansion = expansionTerms(terms, weights);

  const localQueryVector = combine([
    [index.localEmbedder.embedQueryVector(query.text), 1],
    [query.context ? index.localEmbedder.embedQueryVector(query.context) : null, CONTEXT_WEIGHT],
    [expansion.size ? index.localEmbedder.embedQueryVector([...expansion.keys()].join(' ')) : null, EXPANSION_WEIGHT],
  ]);
  const queryVector = externalQueryVector ?? localQueryVector;

  // A question made only of words the corpus never saw has no direction to search in.
  const vectorHits = isZero(queryVector)
    ? []
    : index.vectors.search(queryVector, Math.min(CANDIDATES, index.chunks.length));
  const lexicalHits = searchLexical(index.lexical, fullText, CANDIDATES, weights);
  const vectorWeight = embedsQuestionsRemotely(index) ? 1 : LOCAL_VECTOR_WEIGHT;
  const fused = fuseRanks(index, [
    { hits: vectorHits, weight: vectorWeight },
    { hits: lexicalHits, weight: LEXICAL_WEIGHT },
  ]);
  // A carried context's words mix into the lexical scores; only the question's own are compared.
  const lexical = query.context ? new Map<number, number>() : relativeLexicalScores(lexicalHits);
  const phrases = phraseMatchShares(index, fused.keys(), contentTerms(query.text));
  for (const [position, score] of fused)
    fused.set(position, combineScores(score, lexical.get(position) ?? 0, phrases.get(position) ?? 0));
  const cosineOf = new Map(vectorHits.map((hit) => [hit.position, hit.score]));
  // The asker's circumstances ("in Leeds", "burnt out") are not what a passage must cover.
  const topical = terms.filter(isAsked);

  const ranked = [...fused.entries()]
    .map(([position, score]) => {
      const chunk = index.chunks[position]!;
      return {
        chunk,
        score,
        // Passages found only lexically still get a similarity, measured in the local space.
        vectorScore: cosineOf.get(position) ?? dot(localQueryVector, index.chunkFeatures.localVector(chunk)),
        coverage: coverage(topical, index.chunkFeatures.stems(chunk)),
      };
    })
    .sort((a, b) => b.score - a.score || b.coverage - a.coverage);

  return { passages: dropDuplicates(index, ranked).slice(0, k), terms, localQueryVector };
}

/**
 * A follow-up's own words weigh more than the earlier turns carried along with it: "Is it
 * stressful?" after a question about moving from design asks about stress, in the context of
 * design.
 */
function contextWeighedLess(terms: QueryTerm[], question: string): QueryTerm[] {
  const own = new Set(contentTerms(question));
  return terms.map((t) => (own.has(t.stem) ? t : { ...t, weight: t.weight * CONTEXT_WEIGHT }));
}

interface RankedList {
  hits: Array<{ position: number }>;
  weight: number;
}

/**
 * Weighted reciprocal-rank fusion, at two levels: each passage earns weight / (k + rank) from
 * every list it appears in, plus the same from its section's best rank in each list, since a
 * section that both lists rank high (through different passages) backs its passages too.
 * Scores are normalised so that first place in every list at both levels scores 1.
 */
function fuseRanks(index: LoadedIndex, lists: RankedList[]): Map<number, number> {
  const sectionOf = (position: number) => {
    const chunk = index.chunks[position]!;
    return `${chunk.document}#${chunk.anchor}`;
  };
  const passageScores = new Map<number, number>();
  const sectionScores = new Map<string, number>();
  for (const { hits, weight } of lists) {
    const sectionsSeen = new Set<string>();
    hits.forEach(({ position }, rank) => {
      passageScores.set(position, (passageScores.get(position) ?? 0) + weight / (RRF_K + rank + 1));
      const section = sectionOf(position);
      if (sectionsSeen.has(section)) return;
      sectionsSeen.add(section);
      sectionScores.set(section, (sectionScores.get(section) ?? 0) + weight / (RRF_K + sectionsSeen.size));
    });
  }
  const best = ((1 + SECTION_WEIGHT) * lists.reduce((sum, l) => sum + l.weight, 0)) / (RRF_K + 1);
  const fused = new Map<number, number>();
  for (const [position, score] of passageScores) {
    fused.set(position, (score + SECTION_WEIGHT * (sectionScores.get(sectionOf(position)) ?? 0)) / best);
  }
  return fused;
}

/**
 * A passage's score: its fused ranks, its lexical score relative to the best, and the share of
 * the question's word pairs it has, weighted and scaled so that the best possible is 1 (and
 * the same scale for every question, with or without a part to add).
 */
export function combineScores(fusedRanks: number, relativeLexical: number, phraseShare: number): number {
  return (
    (fusedRanks + LEXICAL_SCORE_WEIGHT * relativeLexical + PHRASE_WEIGHT * phraseShare) /
    (1 + LEXICAL_SCORE_WEIGHT + PHRASE_WEIGHT)
  );
}

/**
 * Each lexical hit's score as a share of the best hit's: a near tie stays a near tie (unlike
 * min-max scaling, which would stretch 5.02 against 5.00 into 1 against 0), while a passage
 * scored far above the rest keeps its margin.
 */
export function relativeLexicalScores(hits: ReadonlyArray<{ position: number; score: number }>): Map<number, number> {
  const top = hits[0]?.score ?? 0;
  return new Map(top > 0 ? hits.map((hit) => [hit.position, hit.score / top]) : []);
}

/**
 * Term proximity: bag-of-words scoring (BM25 and the hashed vectors alike) cannot tell "a
 * digital marketer at an agency" from a passage that has those words far apart. Each pair of
 * adjacent content words of the question (stop words skipped, "marketer at an agency" ->
 * "marketer agency") that a passage also has side by side counts, weighted by the rarer
 * word's IDF (a pair is at least as specific as its rarer word, so "product management" counts
 * for little). Returns, per passage, the share of the question's pair weight it has. Pairs
 * with a word the corpus never uses cannot match and are left out. Only the question's own
 * words: a carried context is not the asker's wording of this question.
 */
export function phraseMatchShares(
  index: LoadedIndex,
  positions: Iterable<number>,
  questionStems: readonly string[],
): Map<number, number> {
  const pairs = new Map<number, number>();
  for (let i = 1; i < questionStems.length; i++) {
    const [a, b] = [questionStems[i - 1]!, questionStems[i]!];
    if (!index.localEmbedder.knowsTerm(a) || !index.localEmbedder.knowsTerm(b)) continue;
    pairs.set(stemPairKey(a, b), Math.max(index.localEmbedder.termIdf(a), index.localEmbedder.termIdf(b)));
  }
  let total = 0;
  for (const weight of pairs.values()) total += weight;
  const shares = new Map<number, number>();
  if (total <= 0) return shares;
  for (const position of positions) {
    const passagePairs = index.chunkFeatures.stemPairs(index.chunks[position]!);
    let found = 0;
    for (const [pair, weight] of pairs) if (passagePairs.has(pair)) found += weight;
    if (found > 0) shares.set(position, found / total);
  }
  return shares;
}

function isZero(vector: Float32Array): boolean {
  return vector.every((v) => v === 0);
}

/** Same text twice (a file copied), or two overlapping chunks of one section: keep the first. */
function dropDuplicates(index: LoadedIndex, passages: Passage[]): Passage[] {
  const kept: Passage[] = [];
  const texts = new Set<string>();
  for (const passage of passages) {
    const { chunk } = passage;
    const key = index.chunkFeatures.duplicateKey(chunk);
    if (texts.has(key)) continue;
    const overlaps = kept.some(
      (p) =>
        p.chunk.document === chunk.document &&
        p.chunk.anchor === chunk.anchor &&
        p.chunk.start < chunk.end &&
        chunk.start < p.chunk.end,
    );
    if (overlaps) continue;
    texts.add(key);
    kept.push(passage);
  }
  return kept;
}

function combine(parts: Array<[Float32Array | null, number]>): Float32Array {
  const first = parts[0]![0]!;
  const out = new Float32Array(first.length);
  for (const [vector, weight] of parts) {
    if (!vector) continue;
    for (let i = 0; i < out.length; i++) out[i]! += vector[i]! * weight;
  }
  return normalizeInPlace(out);
}
