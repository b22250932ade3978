import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Chunk } from '../corpus/types.ts';
import type { LocalEmbedderParams } from '../embeddings/local-embeddings.ts';
import type { StoredAssistant, StoredDocument } from './loaded-index.ts';
import { GENERATION_FILES, INDEX_FORMAT_VERSION, type Manifest } from './manifest.ts';
import { replaceFileAtomically, syncDir, syncFile, writeFileSynced } from './fs-atomic.ts';
import { TEXT_ANALYSIS_VERSION } from '../text/analyze.ts';

export const POINTER_FILE = 'CURRENT';
export const GENERATIONS_DIR = 'generations';

export interface GenerationContent {
  documents: StoredDocument[];
  chunks: Chunk[];
  /** lexical.json, whole or in pieces written one after another. */
  lexicalJson: string | string[];
  localEmbedder: LocalEmbedderParams;
  assistant: StoredAssistant;
  /** Writes the vector index file (vectors.hnsw) to the path it is given. */
  vectors: { write(path: string): Promise<void> };
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
export async function writeGeneration(
  indexDir: string,
  content: GenerationContent,
  hooks: WriteHooks = {},
): Promise<string> {
  const generation = `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  const root = join(indexDir, GENERATIONS_DIR);
  const temporary = join(indexDir, `.tmp-${generation}`);
  await mkdir(root, { recursive: true });
  await mkdir(temporary);
  try {
    const files: Manifest['files'] = {};
    // Each JSON file is written in pieces as it is serialised, hashed on the way: at 100,000
    // chunks the files are tens of MB, and a whole-file string plus its Buffer copy was the
    // ingest's peak memory. The bytes are those of JSON.stringify(value).
    const writeJson = async (name: string, pieces: Iterable<string>) => {
      files[name] = await writePiecesSynced(join(temporary, name), pieces);
      await hooks.afterFile?.(name);
    };
    await writeJson(GENERATION_FILES.documents, jsonArrayPieces(content.documents));
    await writeJson(GENERATION_FILES.chunks, jsonArrayPieces(content.chunks));
    await writeJson(
      GENERATION_FILES.lexical,
      typeof content.lexicalJson === 'string' ? [content.lexicalJson] : content.lexicalJson,
    );
    await writeJson(GENERATION_FILES.localEmbedder, jsonObjectPieces(content.localEmbedder));
    await writeJson(GENERATION_FILES.assistant, [JSON.stringify(content.assistant)]);

    const vectorsPath = join(temporary, GENERATION_FILES.vectors);
    await content.vectors.write(vectorsPath);
    await syncFile(vectorsPath);
    files[GENERATION_FILES.vectors] = { sha256: await sha256File(vectorsPath), bytes: (await stat(vectorsPath)).size };
    await hooks.afterFile?.(GENERATION_FILES.vectors);

    const manifest: Manifest = {
      formatVersion: INDEX_FORMAT_VERSION,
      generation,
      createdAt: new Date().toISOString(),
      analysis: TEXT_ANALYSIS_VERSION,
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

/** JSON.stringify(items), in pieces of about a thousand items. */
export function* jsonArrayPieces(items: readonly unknown[], perPiece = 1000): Generator<string> {
  if (items.length === 0) {
    yield '[]';
    return;
  }
  for (let start = 0; start < items.length; start += perPiece) {
    const parts: string[] = [];
    for (let i = start; i < Math.min(items.length, start + perPiece); i++)
      parts.push(JSON.stringify(items[i]) ?? 'null');
    yield `${start === 0 ? '[' : ','}${parts.join(',')}${start + perPiece >= items.length ? ']' : ''}`;
  }
}

/**
 * JSON.stringify(object) of a plain object, with its long arrays (the local embedder's 2.5
 * million feature ids at 100,000 chunks) in pieces.
 */
export function* jsonObjectPieces(object: object): Generator<string> {
  let first = true;
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || typeof value === 'function') continue;
    const name = `${first ? '{' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (Array.isArray(value) && value.length > 10_000) {
      yield name;
      yield* jsonArrayPieces(value, 10_000);
    } else {
      yield `${name}${JSON.stringify(value)}`;
    }
  }
  yield first ? '{}' : '}';
}

/** Largest string slice encoded at once: big strings go out in pieces of this many characters. */
const WRITE_SLICE = 1 << 20;

/** Write strings one after another as UTF-8 into a new file, fsync it; its sha256 and size. */
async function writePiecesSynced(path: string, pieces: Iterable<string>): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  // Encoded slice by slice as the file is written, and hashed on the way.
  function* encoded(): Generator<Buffer> {
    for (const piece of pieces) {
      for (let start = 0; start < piece.length; ) {
        let end = Math.min(piece.length, start + WRITE_SLICE);
        // Never split a surrogate pair between two slices.
        if (end < piece.length && isHighSurrogate(piece.charCodeAt(end - 1))) end--;
        const buffer = Buffer.from(piece.slice(start, end), 'utf8');
        hash.update(buffer);
        bytes += buffer.byteLength;
        yield buffer;
        start = end;
      }
    }
  }
  await writeFileSynced(path, encoded());
  return { sha256: hash.digest('hex'), bytes };
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** sha256 of a file, read in a stream (the vector index is the largest file of a generation). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(piece as Buffer);
  return hash.digest('hex');
}
