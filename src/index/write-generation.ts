import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Chunk } from '../corpus/types.ts';
import type { LocalEmbedderParams } from '../embeddings/local-embeddings.ts';
import type { HnswSearcher } from './hnsw-searcher.ts';
import type { StoredDocument } from './loaded-index.ts';
import { GENERATION_FILES, INDEX_FORMAT_VERSION, type Manifest } from './manifest.ts';
import { replaceFileAtomically, syncDir, writeFileSynced } from './fs-atomic.ts';

export const POINTER_FILE = 'CURRENT';
export const GENERATIONS_DIR = 'generations';

export interface GenerationContent {
  documents: StoredDocument[];
  chunks: Chunk[];
  lexicalJson: string;
  localEmbedder: LocalEmbedderParams;
  vectors: HnswSearcher;
  manifest: Pick<Manifest, 'embedder' | 'hnsw' | 'counts' | 'corpus'>;
}

export interface WriteHooks {
  /** Called after each file is written; tests throw here to simulate a crash midway. */
  afterFile?(name: string): void | Promise<void>;
}

/** The generation the pointer names, or null when there is none yet. */
export async function readCurrentGeneration(indexDir: string): Promise<string | null> {
  try {
    const name = (await readFile(join(indexDir, POINTER_FILE), 'utf8')).trim();
    return name || null;
  } catch {
    return null;
  }
}

export function generationDir(indexDir: string, generation: string): string {
  return join(indexDir, GENERATIONS_DIR, generation);
}

/**
 * Publish a new index generation. Everything is written into a temporary folder and fsynced,
 * the folder is renamed into place, and only then is the pointer file replaced by rename: a
 * reader sees the old generation or the new one, never a part of one. The previous
 * generation is kept (for a server still loading it, and to roll back); older ones are pruned.
 */
export async function writeGeneration(indexDir: string, content: GenerationContent, hooks: WriteHooks = {}): Promise<string> {
  const generation = `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  const root = join(indexDir, GENERATIONS_DIR);
  const temporary = join(indexDir, `.tmp-${generation}`);
  await mkdir(root, { recursive: true });
  await mkdir(temporary);
  try {
    const files: Manifest['files'] = {};
    const writeJson = async (name: string, value: unknown) => {
      const bytes = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
      await writeFileSynced(join(temporary, name), bytes);
      files[name] = { sha256: sha256(bytes), bytes: bytes.byteLength };
      await hooks.afterFile?.(name);
    };
    await writeJson(GENERATION_FILES.documents, content.documents);
    await writeJson(GENERATION_FILES.chunks, content.chunks);
    await writeJson(GENERATION_FILES.lexical, content.lexicalJson);
    await writeJson(GENERATION_FILES.localEmbedder, content.localEmbedder);

    const vectorsPath = join(temporary, GENERATION_FILES.vectors);
    content.vectors.writeSync(vectorsPath);
    await fsyncFile(vectorsPath);
    files[GENERATION_FILES.vectors] = { sha256: await sha256File(vectorsPath), bytes: (await stat(vectorsPath)).size };
    await hooks.afterFile?.(GENERATION_FILES.vectors);

    const manifest: Manifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      generation,
      createdAt: new Date().toISOString(),
      ...content.manifest,
      files,
    };
    await writeFileSynced(join(temporary, GENERATION_FILES.manifest), JSON.stringify(manifest, null, 2));
    await hooks.afterFile?.(GENERATION_FILES.manifest);
    await syncDir(temporary);
    await rename(temporary, join(root, generation));
    await syncDir(root);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }

  const previous = await readCurrentGeneration(indexDir);
  await replaceFileAtomically(join(indexDir, POINTER_FILE), `${generation}\n`);
  await pruneGenerations(indexDir, [generation, previous]);
  return generation;
}

async function pruneGenerations(indexDir: string, keep: Array<string | null>): Promise<void> {
  const root = join(indexDir, GENERATIONS_DIR);
  for (const name of await readdir(root)) {
    if (!keep.includes(name)) await rm(join(root, name), { recursive: true, force: true });
  }
  // Leftovers of runs that died midway.
  for (const name of await readdir(indexDir)) {
    if (name.startsWith('.tmp-')) await rm(join(indexDir, name), { recursive: true, force: true });
  }
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function sha256File(path: string): Promise<string> {
  return sha256(await readFile(path));
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
