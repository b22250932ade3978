import { z } from 'zod';

/** Bumped whenever the files of a generation change shape; a server refuses other versions. (3: assistant.json.) */
export const INDEX_FORMAT_VERSION = 3;

export const GENERATION_FILES = {
  manifest: 'manifest.json',
  chunks: 'chunks.json',
  documents: 'documents.json',
  lexical: 'lexical.json',
  localEmbedder: 'local-embedder.json',
  assistant: 'assistant.json',
  vectors: 'vectors.hnsw',
} as const;

export const embedderInfoSchema = z.object({
  /** `local-hash-v<TEXT_ANALYSIS_VERSION>:w1:b0.6:t0.35` (the local embedder, its version and its feature weights) or `openai`. */
  id: z.string(),
  /** The model name for `openai`; null for `local`. */
  model: z.string().nullable(),
  dims: z.number().int().positive(),
});
export type EmbedderInfo = z.infer<typeof embedderInfoSchema>;

export const manifestSchema = z.object({
  formatVersion: z.number().int(),
  generation: z.string(),
  createdAt: z.string(),
  /** TEXT_ANALYSIS_VERSION the lexical index (and local vectors) were built with. */
  analysis: z.number().int(),
  embedder: embedderInfoSchema,
  hnsw: z.object({
    space: z.literal('cosine'),
    m: z.number().int(),
    efConstruction: z.number().int(),
    efSearch: z.number().int(),
  }),
  counts: z.object({ documents: z.number().int(), sections: z.number().int(), chunks: z.number().int() }),
  /** sha256 and size of every other file of the generation, checked before it is served. */
  files: z.record(z.string(), z.object({ sha256: z.string(), bytes: z.number().int() })),
  corpus: z.object({
    /**
     * sha256 over the sorted (file name, file sha256) pairs of the documents, assistant.yaml
     * and synonyms.txt: "did the corpus change?"
     */
    hash: z.string(),
    files: z.record(z.string(), z.string()),
  }),
});
export type Manifest = z.infer<typeof manifestSchema>;
