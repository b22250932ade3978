import type { Chunk } from '../corpus/types.ts';

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** A question after condensation: what retrieval searches for. */
export interface RetrievalQuery {
  /** The question as the user asked it, or rewritten to stand alone. */
  text: string;
  /** Topic carried from earlier turns when the question alone is elliptical (extractive mode). */
  context?: string;
}

/** A retrieved passage with the scores that put it there. */
export interface Passage {
  chunk: Chunk;
  /** Fused relevance in [0, 1]. */
  score: number;
  /** Cosine similarity of the query and the passage vectors. */
  vectorScore: number;
  /** Share of the query's IDF-weighted terms that the passage contains, in [0, 1]. */
  coverage: number;
}

export interface Citation {
  id: number;
  document: string;
  section: string;
  anchor: string;
  url: string;
  sourceUrl: string;
  quote: string;
  score: number;
}

/**
 * How far the guide answers a question: `answered` (the passages address it), `related` (on
 * the guide's topic, but the guide does not say the specific thing asked: the answer says so,
 * then gives the closest statements), `none` (nothing in the guide is about it).
 */
export type Support = 'answered' | 'related' | 'none';

/** An answer as the pipeline composes it; the same for every request that asks the same. */
export interface ComposedAnswer {
  answer: string;
  grounded: boolean;
  support: Support;
  mode: 'extractive' | 'llm';
  citations: Citation[];
}

/** The answer as a client receives it: a composed answer with a fresh id for `POST /feedback`. */
export interface AskResponse extends ComposedAnswer {
  id: string;
}

/** What the pipeline emits, in order: citations, one or more deltas, done. */
export type AskEvent =
  | { type: 'citations'; citations: Citation[] }
  | { type: 'delta'; text: string }
  | { type: 'done'; response: AskResponse };
