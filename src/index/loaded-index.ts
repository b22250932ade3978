import type { Embeddings } from '@langchain/core/embeddings';
import type { AssistantIdentity } from '../corpus/assistant-identity.ts';
import type { Chunk, SourceDocument } from '../corpus/types.ts';
import type { LocalEmbeddings } from '../embeddings/local-embeddings.ts';
import type { ChunkFeatures } from '../rag/chunk-features.ts';
import type { IndexStatements } from '../rag/statements.ts';
import type { SynonymRule } from '../text/solr-synonyms.ts';
import type { SynonymTable } from '../text/synonyms.ts';
import type { LexicalIndex } from './lexical-index.ts';
import type { Manifest } from './manifest.ts';
import type { VectorSearcher } from './vector-searcher.ts';

/** A document as stored in an index generation: what /source renders and citations link to. */
export type StoredDocument = Omit<SourceDocument, 'fileName'>;

/** assistant.json of a generation: who the assistant is, and the owner's synonyms as parsed at ingest. */
export interface StoredAssistant {
  identity: AssistantIdentity;
  synonyms: SynonymRule[];
}

/**
 * One index generation in memory, immutable once loaded. A request takes the generation
 * current when it starts and uses it to the end, so a hot swap never mixes generations.
 */
export interface LoadedIndex {
  generation: string;
  manifest: Manifest;
  documents: Map<string, StoredDocument>;
  chunks: Chunk[];
  vectors: VectorSearcher;
  lexical: LexicalIndex;
  /** Name, description and starters, resolved at ingest (assistant.yaml, else from the documents). */
  assistant: AssistantIdentity;
  /** The owner's synonyms, built when the generation loads; the local embedder holds the same table. */
  synonyms: SynonymTable;
  /** Always present: scores sentences and retrieval support, whatever embedded the vectors. */
  localEmbedder: LocalEmbeddings;
  /** Embeds questions into the space of `vectors` (the embedder named by the manifest). */
  queryEmbedder: Pick<Embeddings, 'embedQuery'>;
  /** What retrieval derives from each passage, kept once worked out (see chunk-features.ts). */
  chunkFeatures: ChunkFeatures;
  /** What the answer to a question the guide does not cover says it covers (see not-covered.ts). */
  notCoveredAnswer: string;
  /** The sections' statements, as the extractive composer quotes them (see statements.ts). */
  statements: IndexStatements;
}

/** Whether questions are embedded by a model server (the index was built with one), not locally. */
export function embedsQuestionsRemotely(index: LoadedIndex): boolean {
  return index.queryEmbedder !== index.localEmbedder;
}
