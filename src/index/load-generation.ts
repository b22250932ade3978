import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Chunk } from '../corpus/types.ts';
import type { LocalEmbedderParams } from '../embeddings/local-embeddings.ts';
import { assembleIndex, checkAnalysis } from './assemble-index.ts';
import { HnswSearcher } from './hnsw-searcher.ts';
import type { LoadedIndex, StoredAssistant, StoredDocument } from './loaded-index.ts';
import { IndexVerificationError, localOnlyQueryEmbedder, type QueryEmbedderFactory } from './index-errors.ts';
import { GENERATION_FILES, INDEX_FORMAT_VERSION, manifestSchema, type Manifest } from './manifest.ts';
import { generationDir, readCurrentGeneration, sha256File } from './write-generation.ts';

export { IndexVerificationError, localOnlyQueryEmbedder, type QueryEmbedderFactory };

/** Load the generation the pointer names; null when no index has been built yet. */
export async function loadCurrentGeneration(
  indexDir: string,
  createQueryEmbedder: QueryEmbedderFactory,
): Promise<LoadedIndex | null> {
  const generation = await readCurrentGeneration(indexDir);
  if (!generation) return null;
  return loadGeneration(indexDir, generation, createQueryEmbedder);
}

/**
 * Verify and load one generation: format version, every file present with the size and
 * sha256 the manifest records, and a vector index holding exactly one vector per chunk.
 * Anything else is refused with IndexVerificationError, so a half-written or tampered
 * generation is never served.
 */
export async function loadGeneration(
  indexDir: string,
  generation: string,
  createQueryEmbedder: QueryEmbedderFactory,
): Promise<LoadedIndex> {
  return loadVerifiedGeneration(await readVerifiedGeneration(indexDir, generation), createQueryEmbedder);
}

/** A generation's files, each checked against the manifest, as read from disk. */
export interface VerifiedGeneration {
  generation: string;
  dir: string;
  manifest: Manifest;
  /** The bytes of every file but the vector index (hnswlib reads that itself), manifest.json's included. */
  contents: Map<string, Buffer>;
}

/**
 * The first half of loadGeneration: the manifest, then every file it lists present with the
 * size and sha256 it records. Each file is read once; `npm run build:worker` bundles these
 * same bytes.
 */
export async function readVerifiedGeneration(indexDir: string, generation: string): Promise<VerifiedGeneration> {
  const dir = generationDir(indexDir, generation);
  const { manifest, bytes: manifestBytes } = await readManifestFile(dir, generation);
  const contents = new Map<string, Buffer>([[GENERATION_FILES.manifest, manifestBytes]]);
  for (const [name, expected] of Object.entries(manifest.files)) {
    const path = join(dir, name);
    const size = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    if (size < 0) throw new IndexVerificationError(`generation ${generation}: ${name} is missing`);
    if (size !== expected.bytes)
      throw new IndexVerificationError(
        `generation ${generation}: ${name} has ${size} bytes, manifest says ${expected.bytes}`,
      );
    // The vector index (the largest file) is hashed as a stream: hnswlib reads it itself
    // (loadVerifiedGeneration).
    const isVectors = name === GENERATION_FILES.vectors;
    const bytes = isVectors ? null : await readFile(path);
    const sha256 = bytes ? createHash('sha256').update(bytes).digest('hex') : await sha256File(path);
    if (sha256 !== expected.sha256)
      throw new IndexVerificationError(`generation ${generation}: ${name} fails its sha256 check`);
    if (bytes) contents.set(name, bytes);
  }
  return { generation, dir, manifest, contents };
}

/** The second half of loadGeneration: parse the verified files, read the vector index, assemble. */
export async function loadVerifiedGeneration(
  { generation, dir, manifest, contents }: VerifiedGeneration,
  createQueryEmbedder: QueryEmbedderFactory,
): Promise<LoadedIndex & { vectors: HnswSearcher }> {
  const json = <T>(name: string): T => {
    const bytes = contents.get(name);
    if (!bytes) throw new IndexVerificationError(`generation ${generation}: manifest does not list ${name}`);
    return JSON.parse(bytes.toString('utf8')) as T;
  };
  const chunks = json<Chunk[]>(GENERATION_FILES.chunks);
  const documents = json<StoredDocument[]>(GENERATION_FILES.documents);
  const localEmbedder = json<LocalEmbedderParams>(GENERATION_FILES.localEmbedder);
  const assistant = json<StoredAssistant>(GENERATION_FILES.assistant);
  const lexicalJson = contents.get(GENERATION_FILES.lexical)?.toString('utf8') ?? '';
  if (!manifest.files[GENERATION_FILES.vectors])
    throw new IndexVerificationError(`generation ${generation}: manifest does not list ${GENERATION_FILES.vectors}`);
  const vectors = await HnswSearcher.read(
    join(dir, GENERATION_FILES.vectors),
    manifest.embedder.dims,
    manifest.hnsw.efSearch,
  ).catch((error: Error) => {
    throw new IndexVerificationError(`generation ${generation}: vector index unreadable (${error.message})`);
  });
  return assembleIndex(
    `generation ${generation}`,
    { generation, manifest, documents, chunks, lexicalJson, localEmbedder, assistant, vectors },
    createQueryEmbedder,
  );
}

/** A generation's manifest, checked: readable, this server's format version, well-formed, its own. */
export async function readManifest(dir: string, generation: string): Promise<Manifest> {
  return (await readManifestFile(dir, generation)).manifest;
}

/** readManifest, with the bytes the manifest was read from. */
async function readManifestFile(dir: string, generation: string): Promise<{ manifest: Manifest; bytes: Buffer }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, GENERATION_FILES.manifest));
  } catch {
    throw new IndexVerificationError(`generation ${generation}: manifest.json is missing`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new IndexVerificationError(`generation ${generation}: manifest.json is not valid JSON`);
  }
  const version = (parsed as { formatVersion?: unknown })?.formatVersion;
  if (version !== INDEX_FORMAT_VERSION) {
    throw new IndexVerificationError(
      `generation ${generation}: index format ${String(version)}, this server reads format ${INDEX_FORMAT_VERSION}; re-run npm run ingest`,
    );
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) throw new IndexVerificationError(`generation ${generation}: manifest.json is malformed`);
  if (result.data.generation !== generation)
    throw new IndexVerificationError(`generation ${generation}: manifest names ${result.data.generation}`);
  checkAnalysis(`generation ${generation}`, result.data, 'npm run ingest');
  return { manifest: result.data, bytes };
}
