import type { Chunk } from '../corpus/types.ts';
import { TEXT_ANALYSIS_VERSION } from '../text/analyze.ts';
import { LocalEmbeddings, type LocalEmbedderParams } from '../embeddings/local-embeddings.ts';
import { ChunkFeatures } from '../rag/chunk-features.ts';
import { composeNotCovered } from '../rag/not-covered.ts';
import { IndexStatements } from '../rag/statements.ts';
import { IndexVerificationError, type QueryEmbedderFactory } from './index-errors.ts';
import { loadLexicalIndex } from './lexical-index.ts';
import { SynonymTable } from '../text/synonyms.ts';
import type { LoadedIndex, StoredAssistant, StoredDocument } from './loaded-index.ts';
import type { Manifest } from './manifest.ts';
import type { VectorSearcher } from './vector-searcher.ts';

/**
 * Refuses a generation built with another text analysis: its BM25 postings and local vectors
 * hold words analysed differently from the questions this code analyses, so answers would
 * quietly degrade. (The local embedder id carries the version too; this also covers indexes
 * embedded by a model server, whose lexical side is still ours.)
 */
export function checkAnalysis(source: string, manifest: Manifest, rebuild: string): void {
  if (manifest.analysis !== TEXT_ANALYSIS_VERSION) {
    throw new IndexVerificationError(
      `${source}: built with text analysis v${manifest.analysis}, this code analyses with v${TEXT_ANALYSIS_VERSION}; re-run ${rebuild}`,
    );
  }
}

/** A generation's contents once read and checked, wherever they came from. */
export interface IndexParts<Vectors extends VectorSearcher = VectorSearcher> {
  generation: string;
  manifest: Manifest;
  documents: StoredDocument[];
  chunks: Chunk[];
  /** The MiniSearch index as stored (lexical.json). */
  lexicalJson: string;
  localEmbedder: LocalEmbedderParams;
  assistant: StoredAssistant;
  vectors: Vectors;
}

/**
 * The one way a LoadedIndex is put together, from files on Node (load-generation.ts) or from
 * a bundle on Workers (bundled-index.ts). No Node API here: the Worker bundle imports it.
 * Refuses (IndexVerificationError, message starting with `source`) unless there is exactly
 * one vector per chunk and the manifest counts that many chunks.
 */
export function assembleIndex<Vectors extends VectorSearcher>(
  source: string,
  parts: IndexParts<Vectors>,
  createQueryEmbedder: QueryEmbedderFactory,
): LoadedIndex & { vectors: Vectors } {
  const { generation, manifest, chunks, vectors } = parts;
  if (vectors.size !== chunks.length || chunks.length !== manifest.counts.chunks) {
    throw new IndexVerificationError(`${source}: ${vectors.size} vectors for ${chunks.length} chunks`);
  }
  const synonyms = SynonymTable.fromRules(parts.assistant.synonyms);
  const localEmbedder = new LocalEmbeddings(parts.localEmbedder, synonyms);
  const documents = new Map(parts.documents.map((d) => [d.id, d]));
  return {
    generation,
    manifest,
    documents,
    chunks,
    vectors,
    lexical: loadLexicalIndex(parts.lexicalJson),
    assistant: parts.assistant.identity,
    synonyms,
    localEmbedder,
    queryEmbedder: createQueryEmbedder(manifest.embedder, localEmbedder),
    chunkFeatures: new ChunkFeatures(localEmbedder),
    statements: new IndexStatements(documents, localEmbedder, chunks),
    notCoveredAnswer: composeNotCovered({ documents, chunks }),
  };
}
