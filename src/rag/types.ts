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

export interface AskResponse {
  answer: string;
  grounded: boolean;
  mode: 'extractive' | 'llm';
  citations: Citation[];
}

/** What the pipeline emits, in order: citations, one or more deltas, done. */
export type AskEvent =
  | { type: 'citations'; citations: Citation[] }
  | { type: 'delta'; text: string }
  | { type: 'done'; response: AskResponse };
