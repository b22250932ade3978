import type { Embeddings } from '@langchain/core/embeddings';
import type { LocalEmbeddings } from '../embeddings/local-embeddings.ts';
import type { EmbedderInfo } from './manifest.ts';

/** A generation that must not be served, with the reason in one line. */
export class IndexVerificationError extends Error {
  override name = 'IndexVerificationError';
}

/** Builds the query embedder an index needs; throws IndexVerificationError when it cannot. */
export type QueryEmbedderFactory = (info: EmbedderInfo, local: LocalEmbeddings) => Pick<Embeddings, 'embedQuery'>;

/** The local embedder serves its own indexes; other embedders need configuration (query-embedder.ts). */
export const localOnlyQueryEmbedder: QueryEmbedderFactory = (info, local) => {
  if (info.id === local.id) return local;
  throw new IndexVerificationError(
    `index was built with ${info.id} embeddings (${info.model}); configure that embedder or re-run npm run ingest`,
  );
};
