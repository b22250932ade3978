import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFIG_FILES } from './corpus-files.ts';

/**
 * sha256 of each config file of the corpus folder that exists (assistant.yaml, synonyms.txt):
 * they go into the corpus fingerprint beside the documents, so changing the assistant's name
 * or a synonym re-indexes.
 */
export async function configFileHashes(corpusDir: string): Promise<Array<{ fileName: string; sha256: string }>> {
  const found: Array<{ fileName: string; sha256: string }> = [];
  for (const fileName of CONFIG_FILES) {
    const bytes = await readFile(join(corpusDir, fileName)).catch(() => null);
    if (bytes) found.push({ fileName, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return found;
}
