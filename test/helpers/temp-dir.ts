import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

/** The repository root, from this file's location: tests never hard-code absolute paths. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The small committed fixture corpus (two Markdown documents). */
export const fixtureCorpusDir = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));

/** The real corpus the app ships with. */
export const realCorpusDir = join(repoRoot, 'corpus');

/** A fresh, empty folder under the OS temp folder. Remove it with `removeTempDir`. */
export async function makeTempDir(prefix = 'atg-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Temp folders for one test file, removed after each test. Call at the top of a describe block
 * (or file) and use the returned function inside tests.
 */
export function useTempDirs(prefix = 'atg-test-'): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map(removeTempDir));
  });
  return async () => {
    const dir = await makeTempDir(prefix);
    made.push(dir);
    return dir;
  };
}

/** Copy a folder (a corpus, or a built index) into `to`. */
export async function copyDir(from: string, to: string): Promise<string> {
  await cp(from, to, { recursive: true });
  return to;
}

/**
 * Every file under a folder (recursively, hidden ones included) with its size and sha256,
 * keyed by relative path: compare two snapshots to prove a folder was left untouched.
 * `include` picks the relative paths that matter (default: all).
 */
export async function snapshotDir(
  dir: string,
  include: (path: string) => boolean = () => true,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const key = relative(dir, path);
    if (!include(key)) continue;
    if (entry.isDirectory()) {
      out[`${key}/`] = 'dir';
    } else {
      const bytes = await readFile(path);
      out[key] = `${bytes.byteLength}:${createHash('sha256').update(bytes).digest('hex')}`;
    }
  }
  return out;
}

/**
 * What a failed ingest must leave alone in an index folder: the pointer, the generations,
 * any stray folder or lock, and the embedding caches (`cache/*.bin`). Other cache files
 * (derived tables keyed by content) may be added by a run that fails later.
 */
export const servedIndexFiles = (path: string): boolean => !path.startsWith('cache/') || path.endsWith('.bin');
