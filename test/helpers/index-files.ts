import { cp, readFile, rename, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GENERATION_FILES, type Manifest } from '../../src/index/manifest.ts';
import { generationDir, POINTER_FILE, sha256File } from '../../src/index/write-generation.ts';

/** Rewrite a generation folder's manifest: `edit` changes it in place, or returns what to write instead. */
export async function editManifest(dir: string, edit: (manifest: Manifest) => unknown): Promise<void> {
  const path = join(dir, GENERATION_FILES.manifest);
  const manifest = JSON.parse(await readFile(path, 'utf8')) as Manifest;
  await writeFile(path, JSON.stringify(edit(manifest) ?? manifest));
}

/** Copy generation `from` of an index folder to a new generation `to` (its manifest renamed to match); its folder. */
export async function copyGeneration(indexDir: string, from: string, to: string): Promise<string> {
  const dir = generationDir(indexDir, to);
  await cp(generationDir(indexDir, from), dir, { recursive: true });
  await editManifest(dir, (manifest) => {
    manifest.generation = to;
  });
  return dir;
}

/** Point an index folder at `generation` the way ingest does: write the pointer aside, rename it over. */
export async function pointTo(indexDir: string, generation: string): Promise<void> {
  const aside = join(indexDir, `${POINTER_FILE}.tmp-test`);
  await writeFile(aside, `${generation}\n`);
  await rename(aside, join(indexDir, POINTER_FILE));
}

/**
 * Cut a generation's file to `bytes` and record its new size and sha256 in the manifest, so
 * that only a deeper check (a reader of the file itself) can refuse it.
 */
export async function truncateKeepingManifest(dir: string, file: string, bytes: number): Promise<void> {
  const path = join(dir, file);
  await truncate(path, bytes);
  const sha256 = await sha256File(path);
  const size = (await stat(path)).size;
  await editManifest(dir, (manifest) => {
    manifest.files[file] = { sha256, bytes: size };
  });
}
