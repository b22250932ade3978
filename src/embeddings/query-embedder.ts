import type { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config.ts';
import { IndexVerificationError, localOnlyQueryEmbedder, type QueryEmbedderFactory } from '../index/index-errors.ts';

/**
 * The query embedder for an index: the local one for local indexes; OpenAIEmbeddings with
 * the model the index was built with when a model server is configured; otherwise the
 * index is refused with a message that says what to set.
 */
export function queryEmbedderFactory(config: Config): QueryEmbedderFactory {
  return (info, local) => {
    if (info.id !== 'openai') return localOnlyQueryEmbedder(info, local);
    if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) {
      throw new IndexVerificationError(
        `the index was built with OpenAI embeddings (${info.model}) but OPENAI_API_KEY / OPENAI_BASE_URL are not set; set them, or rebuild with EMBEDDINGS=local npm run ingest`,
      );
    }
    // Imported on first use: @langchain/openai is slow to load and most servers never need it.
    let embedder: Promise<Pick<Embeddings, 'embedQuery'>> | null = null;
    return {
      embedQuery: async (text: string) => {
        embedder ??= import('./openai-embeddings.ts').then((m) =>
          m.createOpenAIEmbeddings(config, info.model ?? config.EMBEDDINGS_MODEL),
        );
        return (await embedder).embedQuery(text);
      },
    };
  };
}
