import type { AskResponse, ChatTurn } from '../../src/rag/types.ts';

/** One evaluation question answered by the Node pipeline (node-reference.setup.ts). */
export interface NodeAnswer {
  id: string;
  question: string;
  history?: ChatTurn[];
  response: AskResponse;
}

/** A section of the corpus and its source text, as ingestion reads it. */
export interface SourceSection {
  document: string;
  heading: string;
  anchor: string;
  text: string;
}

declare module 'vitest' {
  interface ProvidedContext {
    nodeReference: { generation: string; sections: SourceSection[]; answers: NodeAnswer[] };
  }
}
