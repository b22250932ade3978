import fc from 'fast-check';
import { Embeddings, type EmbeddingsInterface } from '@langchain/core/embeddings';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunkSection } from '../../src/corpus/chunk-sections.ts';
import { embeddingText } from '../../src/corpus/embedding-text.ts';
import { loadCorpus } from '../../src/corpus/load-corpus.ts';
import { splitSections } from '../../src/corpus/split-sections.ts';
import {
  DEFAULT_DIMS,
  extractFeatures,
  fitLocalEmbedder,
  LOCAL_EMBEDDER_ID,
  LocalEmbeddings,
  type LocalEmbedderParams,
} from '../../src/embeddings/local-embeddings.ts';
import { isStopword, stem, words } from '../../src/text/analyze.ts';
import { realCorpusDir } from '../helpers/temp-dir.ts';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot / (norm(a) * norm(b));
};

// Sentences of the real article, each with a paraphrase a reader might write and an unrelated
// sentence from elsewhere in the same article.
const triples = [
  {
    passage:
      'As a Project Manager, you already have the time management, team leadership, and project planning skills that are used in Product.',
    paraphrase:
      'Project managers already bring skills in managing their time, leading a team and planning projects, which product work uses.',
    unrelated:
      'Shadow the product team: Some larger companies offer rotational programs that expose teams to how other teams work.',
  },
  {
    passage:
      'Getting certified as a PM is a great step to take, for a number of reasons. First of all, it fills in the gaps in your knowledge.',
    paraphrase: 'A PM certification is worth getting because it fills gaps in what you know.',
    unrelated: 'Marketing and product go hand in hand nowadays, often working closely together on launches.',
  },
  {
    passage:
      'Moving from consultancy to Product Management is another common move, as you’re usually transitioning from things like business and technology.',
    paraphrase: 'Consultants commonly move into product management, coming from business and technology work.',
    unrelated: 'If you’re fresh out of college, you might try getting an internship at a startup.',
  },
];

let params: LocalEmbedderParams;

beforeAll(async () => {
  // IDF fitted on the real corpus's passages, as ingest does.
  const documents = await loadCorpus(realCorpusDir);
  const texts = documents
    .flatMap(splitSections)
    .flatMap((s) => chunkSection(s))
    .map(embeddingText);
  params = fitLocalEmbedder(texts);
});

describe('LocalEmbeddings', () => {
  it('fits parameters over the corpus passages', () => {
    expect(params.dims).toBe(DEFAULT_DIMS);
    expect(params.documentCount).toBeGreaterThan(10);
    expect(params.featureIds).toHaveLength(params.documentFrequencies.length);
    expect(Math.max(...params.documentFrequencies)).toBeLessThanOrEqual(params.documentCount);
    expect(Math.min(...params.documentFrequencies)).toBeGreaterThanOrEqual(1);
  });

  it('is deterministic: the same input gives the identical vector, in one instance and across two built from the same params', async () => {
    const a = new LocalEmbeddings(params);
    const b = new LocalEmbeddings(JSON.parse(JSON.stringify(params)) as LocalEmbedderParams);
    for (const { passage } of triples) {
      expect(a.embedPassage(passage)).toEqual(a.embedPassage(passage));
      expect(b.embedPassage(passage)).toEqual(a.embedPassage(passage));
      expect(b.embedQueryVector(passage)).toEqual(a.embedQueryVector(passage));
      expect(await b.embedQuery(passage)).toEqual(await a.embedQuery(passage));
    }
    expect(await b.embedDocuments(triples.map((t) => t.paraphrase))).toEqual(
      await a.embedDocuments(triples.map((t) => t.paraphrase)),
    );
  });

  it('embeds a passage from its own text alone, so cached passage vectors survive corpus edits', () => {
    const other = fitLocalEmbedder(['a completely different corpus about gardening and tomatoes']);
    const text = triples[0]!.passage;
    expect(new LocalEmbeddings(other).embedPassage(text)).toEqual(new LocalEmbeddings(params).embedPassage(text));
    // ...while a query is weighted by the corpus it was fitted on.
    expect(new LocalEmbeddings(other).embedQueryVector(text)).not.toEqual(
      new LocalEmbeddings(params).embedQueryVector(text),
    );
  });

  it('returns unit-length vectors of the configured size', async () => {
    const local = new LocalEmbeddings(params);
    for (const { passage, paraphrase, unrelated } of triples) {
      for (const v of [
        local.embedPassage(passage),
        local.embedQueryVector(paraphrase),
        ...(await local.embedDocuments([unrelated])),
      ]) {
        expect(v).toHaveLength(DEFAULT_DIMS);
        expect(norm(v)).toBeCloseTo(1, 5);
      }
    }
    const small = new LocalEmbeddings({ ...params, dims: 64 });
    expect(small.embedPassage('product roadmap')).toHaveLength(64);
    expect(norm(small.embedPassage('product roadmap'))).toBeCloseTo(1, 5);
  });

  it('gives a text with no content words the zero vector rather than NaN', () => {
    const v = new LocalEmbeddings(params).embedPassage('it is what it is');
    expect(Array.from(v).every((x) => x === 0)).toBe(true);
  });

  it('puts a passage nearer its own paraphrase than an unrelated passage', () => {
    const local = new LocalEmbeddings(params);
    for (const { passage, paraphrase, unrelated } of triples) {
      const p = local.embedPassage(passage);
      expect(cosine(p, local.embedPassage(paraphrase))).toBeGreaterThan(cosine(p, local.embedPassage(unrelated)));
      // The same holds for a question embedded as a query against passage vectors.
      expect(cosine(local.embedQueryVector(paraphrase), p)).toBeGreaterThan(
        cosine(local.embedQueryVector(unrelated), p),
      );
    }
  });

  it('honours LangChain’s Embeddings interface', async () => {
    const local = new LocalEmbeddings(params);
    const asInterface: EmbeddingsInterface = local;
    expect(local).toBeInstanceOf(Embeddings);
    expect(local.id).toBe(LOCAL_EMBEDDER_ID);
    const docs = await asInterface.embedDocuments(['first passage about sales', 'second passage about design']);
    expect(docs).toHaveLength(2);
    for (const [i, v] of docs.entries()) {
      expect(Array.isArray(v)).toBe(true);
      expect(v).toHaveLength(DEFAULT_DIMS);
      expect(v).toEqual(
        Array.from(local.embedPassage(i === 0 ? 'first passage about sales' : 'second passage about design')),
      );
    }
    expect(docs[0]).not.toEqual(docs[1]);
    const query = await asInterface.embedQuery('what about sales?');
    expect(Array.isArray(query)).toBe(true);
    expect(query).toEqual(Array.from(local.embedQueryVector('what about sales?')));
    expect(await asInterface.embedDocuments([])).toEqual([]);
  });

  it('gives the vectors of the Map-based implementation it replaced, to the last bit', () => {
    // The reference below is the embedder as it was before feature extraction moved to typed
    // arrays (features summed in a Map, projected in insertion order), on the shared text
    // analysis: whatever the stop words or stemming, the two must agree bit for bit, since
    // LOCAL_EMBEDDER_ID (the embedding cache's key) promises the same vectors.
    const texts = [
      ...triples.flatMap((t) => [t.passage, t.paraphrase, t.unrelated]),
      'Café naïve résumé: product product product product product, ﬁnance and the Manager’s roadmap (2024).',
      'u used tho the a an im ive pls',
      '',
    ];
    // Generated texts, from a fixed seed so that a failure below can be reproduced.
    const words = fc.constantFrom(
      'product',
      'manager',
      'roadmap',
      'the',
      'a',
      'used',
      'résumé',
      'ﬁnance',
      '2024',
      'café',
      'u',
      'pricing',
      'Hiring',
      'x',
    );
    for (const list of fc.sample(fc.array(words, { maxLength: 60 }), { numRuns: 60, seed: 1 }))
      texts.push(list.join(list.length % 3 ? ' ' : ', '));
    const fitted = fitLocalEmbedder(texts);
    const local = new LocalEmbeddings(fitted);
    const idf = referenceIdf(fitted);
    for (const text of texts) {
      expect(local.embedPassage(text)).toEqual(referenceVector(text, () => 1));
      expect(local.embedQueryVector(text)).toEqual(referenceVector(text, (feature) => idf.get(feature) ?? 0));
    }
    // Document frequencies as the Map-based fit counted them.
    const df = new Map<number, number>();
    for (const text of texts)
      for (const feature of referenceFeatures(text).keys()) df.set(feature, (df.get(feature) ?? 0) + 1);
    expect(new Map(fitted.featureIds.map((id, i) => [id, fitted.documentFrequencies[i]!]))).toEqual(df);
  });

  it('fits feature ids in ascending order, and reads parameters in any order the same way', () => {
    expect(params.featureIds.every((id, i) => i === 0 || params.featureIds[i - 1]! < id)).toBe(true);
    // Parameters written before ids were sorted: reversed order, same IDF and query vectors.
    const reversed: LocalEmbedderParams = {
      ...params,
      featureIds: [...params.featureIds].reverse(),
      documentFrequencies: [...params.documentFrequencies].reverse(),
    };
    const a = new LocalEmbeddings(params);
    const b = new LocalEmbeddings(reversed);
    for (const { paraphrase } of triples)
      expect(b.embedQueryVector(paraphrase)).toEqual(a.embedQueryVector(paraphrase));
    for (const term of ['product', 'manag', 'zyxwv']) {
      expect(b.termIdf(term)).toBe(a.termIdf(term));
      expect(b.knowsTerm(term)).toBe(a.knowsTerm(term));
    }
  });

  it('counts document frequencies exactly, however many distinct features (hash table growth)', () => {
    // 10,000 passages of made-up words: more distinct features than the table holds before it
    // grows (65,536 slots kept at most 3/4 full).
    const texts = Array.from(
      { length: 10_000 },
      (_, i) => `w${i.toString(36)}x alpha w${(i * 7).toString(36)}y beta alpha`,
    );
    const fitted = fitLocalEmbedder(texts);
    expect(fitted.featureIds.length).toBeGreaterThan(((1 << 16) * 3) / 4);
    const expected = new Map<number, number>();
    for (const text of texts)
      for (const feature of extractFeatures(text).keys()) expected.set(feature, (expected.get(feature) ?? 0) + 1);
    expect(fitted.documentCount).toBe(10_000);
    expect(new Map(fitted.featureIds.map((id, i) => [id, fitted.documentFrequencies[i]!]))).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// The Map-based local embedder (local-hash-v1/v2 as first written), kept as the reference.
// Its hash is a frozen copy of hash32, not an import: a change to the hash changes every
// vector, and must fail here (and bump LOCAL_EMBEDDER_ID) rather than pass on both sides.

function referenceHash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function referenceFeatures(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  const add = (feature: number, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  let previous: { stem: number; trigrams: number[] } | null = null;
  for (const word of words(text)) {
    if (isStopword(word)) {
      previous = null;
      continue;
    }
    const padded = `<${word}>`;
    const trigrams: number[] = [];
    for (let i = 0; i + 3 <= padded.length; i++) trigrams.push(referenceHash32(padded.slice(i, i + 3), 3));
    const features = { stem: referenceHash32(stem(word), 1), trigrams };
    add(features.stem, 1);
    if (previous) add((Math.imul(previous.stem ^ 2, 0x9e3779b1) ^ features.stem) >>> 0, 0.6);
    const trigramWeight = 0.35 / Math.sqrt(features.trigrams.length);
    for (const trigram of features.trigrams) add(trigram, trigramWeight);
    previous = features;
  }
  for (const [feature, weight] of counts) counts.set(feature, weight > 1 ? 1 + Math.log(weight) : weight);
  return counts;
}

function referenceIdf(params: LocalEmbedderParams): Map<number, number> {
  const n = params.documentCount;
  const idf = new Map<number, number>();
  params.featureIds.forEach((id, i) =>
    idf.set(id, Math.log(1 + (n - params.documentFrequencies[i]! + 0.5) / (params.documentFrequencies[i]! + 0.5))),
  );
  return idf;
}

function referenceVector(text: string, weightOf: (feature: number) => number): Float32Array {
  const vector = new Float32Array(DEFAULT_DIMS);
  for (const [feature, weight] of referenceFeatures(text)) {
    const sign = (feature >>> 31) & 1 ? -1 : 1;
    vector[feature % DEFAULT_DIMS]! += sign * weight * weightOf(feature);
  }
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}
