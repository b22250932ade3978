import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { corpusFileKind } from '../corpus/corpus-files.ts';
import { LOCAL_EMBEDDER_ID } from '../embeddings/local-embeddings.ts';
import { readManifest } from '../index/load-generation.ts';
import { generationDir, readCurrentGeneration } from '../index/write-generation.ts';
import { corpusFingerprint } from './run-ingest.ts';

/**
 * Whether the current generation still matches the corpus folder (documents, assistant.yaml,
 * synonyms.txt) and the configured
 * embedder, so `npm start` can re-index only when something changed. Hashing the files is
 * cheap next to parsing them.
 */
export async function indexIsCurrent(
  config: Pick<Config, 'CORPUS_DIR' | 'INDEX_DIR' | 'EMBEDDINGS'>,
): Promise<boolean> {
  const generation = await readCurrentGeneration(config.INDEX_DIR);
  if (!generation) return false;
  let manifest: Awaited<ReturnType<typeof readManifest>>;
  try {
    // The server's own manifest check (format version included): a generation it would
    // refuse is not current.
    manifest = await readManifest(generationDir(config.INDEX_DIR, generation), generation);
  } catch {
    return false;
  }
  const wantedEmbedder = config.EMBEDDINGS === 'local' ? LOCAL_EMBEDDER_ID : 'openai';
  if (manifest.embedder.id !== wantedEmbedder) return false;
  let names: string[];
  try {
    // The files the fingerprint covers: documents, assistant.yaml and synonyms.txt.
    names = (await readdir(config.CORPUS_DIR)).filter((n) => ['document', 'config'].includes(corpusFileKind(n).kind));
  } catch {
    // No corpus folder here: serve the index that exists rather than nothing.
    return true;
  }
  const files = await Promise.all(
    names.map(async (fileName) => ({
      fileName,
      sha256: createHash('sha256')
        .update(await readFile(join(config.CORPUS_DIR, fileName)))
        .digest('hex'),
    })),
  );
  return corpusFingerprint(files).hash === manifest.corpus.hash;
}
