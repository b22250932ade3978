import { passageLabel } from '../corpus/embedding-text.ts';
import { blockSpans, sentenceSpans } from '../corpus/sentences.ts';
import type { Chunk } from '../corpus/types.ts';
import type { LocalEmbeddings } from '../embeddings/local-embeddings.ts';
import type { LoadedIndex } from '../index/loaded-index.ts';
import { contentTerms } from '../text/analyze.ts';
import { citationFor } from './citations.ts';
import { coverage, type QueryTerm } from './query-terms.ts';
import { dot } from './retrieve.ts';
import type { ComposedAnswer, Passage } from './types.ts';

/**
 * The offline answerer: picks the best-supported sentences of the retrieved passages and
 * cites each one. It never writes a word that is not in the corpus; the answer reads as
 * the guide's own sentences, most relevant first.
 */

const MIN_SENTENCES = 2;
const MAX_SENTENCES = 5;
/** Sentences below this share of the best sentence's score are not worth adding. */
const RELATIVE_CUTOFF = 0.6;
/** Maximal marginal relevance: how much a sentence's novelty counts against its relevance. */
const MMR_LAMBDA = 0.75;
/** Sentences shorter than this carry no answer on their own ("That's great!"). */
const MIN_WORDS = 6;
/**
 * Sentences carrying a URL or markup are never quoted in an answer: answers contain no link
 * that could phish or exfiltrate (a corpus file may carry injected text), and the reader can
 * still open the source itself.
 */
const CARRIES_LINK = /(?:https?:|ftp:|data:|javascript:|www\.|\/\/[\w-]+\.|<[a-z!\/]|!\[|\]\()/i;
/**
 * Sentences that lean on the one before them ("It also...", "However, ...", "This means...")
 * read as dangling when quoted alone: they are chosen only when clearly more relevant.
 */
const LEANS_ON_PREVIOUS = /^(?:it(?!['’]s\b)|its|this|that|these|those|they|their|he|she|such|however|also|but|and|so|then|first of all|secondly|finally|for example)\b/i;
const LEANING_PENALTY = 0.85;
/** A sentence ending in a colon only announces what follows ("there are two main ways:"). */
const ANNOUNCES_LIST = /:\s*$/;
/** A labelled list item up to this length is quoted whole. */
const LABELLED_ITEM_MAX_CHARS = 300;

interface Candidate {
  passageIndex: number;
  /** Offsets within the section text. */
  start: number;
  end: number;
  text: string;
  vector: Float32Array;
  relevance: number;
  /** Sentences in this unit: 1, or more for a short labelled item kept whole. */
  count: number;
}

export function extractiveAnswer(index: LoadedIndex, passages: Passage[], terms: QueryTerm[], queryVector: Float32Array): ComposedAnswer {
  const candidates = sentenceCandidates(index, passages, terms, queryVector);
  const chosen = selectSentences(candidates);

  // Cite passages in retrieval order (their relevance), reading sentences in the order of the
  // guide within each passage.
  const byPassage = new Map<number, Candidate[]>();
  for (const c of chosen) byPassage.set(c.passageIndex, [...(byPassage.get(c.passageIndex) ?? []), c]);
  const order = [...byPassage.keys()].sort((a, b) => a - b);

  const parts: string[] = [];
  const citations = order.map((passageIndex, i) => {
    const sentences = byPassage.get(passageIndex)!.sort((a, b) => a.start - b.start);
    const passage = passages[passageIndex]!;
    for (const s of sentences) parts.push(withMarker(s.text, i + 1));
    const sectionText = passage.chunk.text;
    const quote = sectionText.slice(sentences[0]!.start - passage.chunk.start, sentences.at(-1)!.end - passage.chunk.start);
    return citationFor(passage, i + 1, index.documents.get(passage.chunk.document), quote);
  });
  return { answer: parts.join(' '), grounded: citations.length > 0, support: citations.length > 0 ? 'answered' : 'none', mode: 'extractive', citations };
}

function sentenceCandidates(index: LoadedIndex, passages: Passage[], terms: QueryTerm[], queryVector: Float32Array): Candidate[] {
  const out: Candidate[] = [];
  passages.forEach((passage, passageIndex) => {
    const { chunk } = passage;
    for (const sentence of chunkSentences(index, chunk)) {
      const similarity = Math.max(0, dot(queryVector, sentence.vector));
      const termShare = coverage(terms, sentence.stems);
      // A sentence is as good as its own match to the question, lifted by how well its passage ranked.
      const relevance = (0.45 * similarity + 0.3 * termShare + 0.25 * passage.score) * (sentence.leansOnPrevious ? LEANING_PENALTY : 1);
      out.push({ passageIndex, start: chunk.start + sentence.start, end: chunk.start + sentence.end, text: sentence.text, vector: sentence.vector, relevance, count: sentence.count });
    }
  });
  return out;
}

/** A sentence of a passage long enough to answer, with what scoring needs (offsets within the passage). */
interface ChunkSentence {
  start: number;
  end: number;
  text: string;
  vector: Float32Array;
  stems: ReadonlySet<string>;
  count: number;
  /** Opens by leaning on the sentence before it (LEANS_ON_PREVIOUS). */
  leansOnPrevious: boolean;
}

/**
 * A passage's candidate sentences depend only on the passage and the local embedder, so
 * they are split, embedded and stemmed once per chunk of a loaded index, not per request.
 */
const sentencesByChunk = new WeakMap<Chunk, { embedder: LocalEmbeddings; sentences: ChunkSentence[] }>();

function chunkSentences(index: LoadedIndex, chunk: Chunk): ChunkSentence[] {
  const cached = sentencesByChunk.get(chunk);
  if (cached && cached.embedder === index.localEmbedder) return cached.sentences;
  const sentences: ChunkSentence[] = [];
  const unit = (start: number, end: number, count: number): ChunkSentence => {
    const text = chunk.text.slice(start, end);
    return {
      start,
      end,
      text,
      count,
      vector: index.localEmbedder.embedPassage(`${chunk.section}\n${text}`),
      stems: new Set(contentTerms(`${chunk.section} ${text}`)),
      leansOnPrevious: LEANS_ON_PREVIOUS.test(text),
    };
  };
  // Blocks (paragraphs, list items) are separated by blank lines in the section text.
  for (const block of blockSpans(chunk.text)) {
    const spans = sentenceSpans(chunk.text, block);
    const blockText = chunk.text.slice(block.start, block.end);
    if (CARRIES_LINK.test(blockText) && spans.length === 1) continue;
    if (passageLabel(blockText) && blockText.length <= LABELLED_ITEM_MAX_CHARS && spans.length > 0 && !CARRIES_LINK.test(blockText)) {
      // "Teacher: Crowd control! The voice of reason in a chaotic room." reads as one
      // statement; split, its second sentence would lose its subject.
      sentences.push(unit(spans[0]!.start, spans.at(-1)!.end, Math.min(spans.length, MAX_SENTENCES)));
      continue;
    }
    for (const span of spans) {
      const text = chunk.text.slice(span.start, span.end);
      if (text.split(/\s+/).length < MIN_WORDS || CARRIES_LINK.test(text) || ANNOUNCES_LIST.test(text)) continue;
      sentences.push(unit(span.start, span.end, 1));
    }
  }
  sentencesByChunk.set(chunk, { embedder: index.localEmbedder, sentences });
  return sentences;
}

function selectSentences(candidates: Candidate[]): Candidate[] {
  const chosen: Candidate[] = [];
  const pool = [...candidates].sort((a, b) => b.relevance - a.relevance);
  // The best-ranked passage is the strongest evidence retrieval found: its best sentence is
  // chosen first, so the first citation is always the top passage.
  const topPassage = Math.min(...pool.map((c) => c.passageIndex));
  // Each pooled sentence's highest similarity to a chosen one, updated as sentences are chosen.
  const redundancy = pool.map(() => 0);
  const best = pool[0]?.relevance ?? 0;
  let sentenceCount = 0;
  while (pool.length && sentenceCount < MAX_SENTENCES) {
    let pick = chosen.length === 0 ? pool.findIndex((c) => c.passageIndex === topPassage) : -1;
    let pickScore = -Infinity;
    if (pick < 0) pool.forEach((c, i) => {
      const score = MMR_LAMBDA * c.relevance - (1 - MMR_LAMBDA) * redundancy[i]!;
      if (score > pickScore) {
        pickScore = score;
        pick = i;
      }
    });
    const candidate = pool[pick]!;
    if (sentenceCount >= MIN_SENTENCES && candidate.relevance < RELATIVE_CUTOFF * best) break;
    if (sentenceCount + candidate.count > MAX_SENTENCES) break;
    chosen.push(candidate);
    sentenceCount += candidate.count;
    pool.splice(pick, 1);
    redundancy.splice(pick, 1);
    pool.forEach((c, i) => {
      const similarity = dot(candidate.vector, c.vector);
      redundancy[i] = chosen.length === 1 ? similarity : Math.max(redundancy[i]!, similarity);
    });
  }
  return chosen;
}

/** "It pays off." -> "It pays off [2]." so the marker sits inside the sentence it supports. */
function withMarker(sentence: string, id: number): string {
  const match = /([.!?…]+["'”’)]*)$/.exec(sentence);
  if (!match) return `${sentence} [${id}].`;
  return `${sentence.slice(0, match.index)} [${id}]${match[1]}`;
}
