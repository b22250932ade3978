import type { Chunk } from '../corpus/types.ts';
import type { LocalEmbedderParams } from '../embeddings/local-embeddings.ts';
import { assembleIndex, checkAnalysis } from './assemble-index.ts';
import { IndexVerificationError, type QueryEmbedderFactory } from './index-errors.ts';
import type { LoadedIndex, StoredAssistant, StoredDocument } from './loaded-index.ts';
import { INDEX_FORMAT_VERSION, manifestSchema, type Manifest } from './manifest.ts';
import { ExactVectorSearcher } from './vector-searcher.ts';

/**
 * One index generation exported as plain data, so a platform without a file system
 * (Cloudflare Workers) can import it as a module: `npm run build:worker` writes it from the
 * generation on disk, and `bundledIndex` turns it back into the same LoadedIndex the Node
 * server loads, searched by an exact scan instead of hnswlib.
 */
export interface IndexBundle {
  formatVersion: typeof INDEX_FORMAT_VERSION;
  generation: string;
  manifest: Manifest;
  documents: StoredDocument[];
  chunks: Chunk[];
  /** The MiniSearch index exactly as the generation stores it (lexical.json). */
  lexical: string;
  localEmbedder: LocalEmbedderParams;
  /** assistant.json: the assistant's identity and the owner's synonyms. */
  assistant: StoredAssistant;
  /** One L2-normalised row per chunk, in chunk order: little-endian float32, base64. */
  vectors: { dims: number; count: number; base64: string };
}

/** Rows of float32 vectors as base64 (little-endian), for a JSON bundle. */
export function encodeVectors(vectors: Float32Array): string {
  const bytes = new Uint8Array(vectors.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < vectors.length; i++) view.setFloat32(i * 4, vectors[i]!, true);
  let binary = '';
  // Chunked so String.fromCharCode never gets more arguments than the engine allows.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function decodeVectors(base64: string): Float32Array {
  const binary = atob(base64);
  if (binary.length % 4 !== 0) throw new IndexVerificationError('bundled vectors are not whole float32 values');
  const view = new DataView(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) view.setUint8(i, binary.charCodeAt(i));
  const vectors = new Float32Array(binary.length / 4);
  for (let i = 0; i < vectors.length; i++) vectors[i] = view.getFloat32(i * 4, true);
  return vectors;
}

/**
 * Turn an exported generation into a LoadedIndex. The checks mirror loadGeneration: the
 * format version, the manifest, and exactly one vector of the manifest's dimensions per
 * chunk (that count checked by assembleIndex, which both use); anything else is refused with
 * IndexVerificationError.
 *
 * @example
 *   import bundle from '../dist/worker/index-data.js';
 *   const index = bundledIndex(bundle as IndexBundle, localOnlyQueryEmbedder);
 */
export function bundledIndex(bundle: IndexBundle, createQueryEmbedder: QueryEmbedderFactory): LoadedIndex {
  const name = bundle?.generation ?? '(unnamed)';
  if (bundle?.formatVersion !== INDEX_FORMAT_VERSION) {
    throw new IndexVerificationError(
      `bundled generation ${name}: index format ${String(bundle?.formatVersion)}, this Worker reads format ${INDEX_FORMAT_VERSION}; re-run npm run build:worker`,
    );
  }
  const parsed = manifestSchema.safeParse(bundle.manifest);
  if (!parsed.success || parsed.data.generation !== bundle.generation)
    throw new IndexVerificationError(`bundled generation ${name}: manifest is malformed`);
  const manifest = parsed.data;
  checkAnalysis(`bundled generation ${name}`, manifest, 'npm run build:worker');
  const { dims, count, base64 } = bundle.vectors;
  const vectors = decodeVectors(base64);
  if (dims !== manifest.embedder.dims || vectors.length !== dims * count) {
    throw new IndexVerificationError(
      `bundled generation ${name}: vectors do not have the manifest's ${manifest.embedder.dims} dimensions`,
    );
  }
  const { generation, documents, chunks, lexical: lexicalJson, localEmbedder, assistant } = bundle;
  const parts = {
    generation,
    manifest,
    documents,
    chunks,
    lexicalJson,
    localEmbedder,
    assistant,
    vectors: new ExactVectorSearcher(vectors, dims),
  };
  return assembleIndex(`bundled generation ${name}`, parts, createQueryEmbedder);
}
