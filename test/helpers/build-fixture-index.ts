import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { loadCurrentGeneration, localOnlyQueryEmbedder } from '../../src/index/load-generation.ts';
import type { LoadedIndex } from '../../src/index/loaded-index.ts';
import { runIngest, type IngestSummary } from '../../src/ingest/run-ingest.ts';

/** The small guide corpus the server and rag tests answer from (two Markdown documents). */
export const guideFixtureDir = fileURLToPath(new URL('../fixtures/guide/', import.meta.url));

export interface FixtureIndex {
  index: LoadedIndex;
  summary: IngestSummary;
  /** The temp folder holding the index generations. */
  indexDir: string;
  /** Remove the temp folder. */
  dispose(): Promise<void>;
}

/**
 * Build a real index (local embedder, hnswlib, lexical index, manifest) from a fixture folder
 * into a fresh temp folder with the ingest pipeline, then load it the way the server does.
 *
 * @example
 * const fixture = await buildFixtureIndex();
 * const app = createApp({ ...deps, index: { current: () => fixture.index } });
 * afterAll(() => fixture.dispose());
 */
export async function buildFixtureIndex(corpusDir: string = guideFixtureDir): Promise<FixtureIndex> {
  const root = await mkdtemp(join(tmpdir(), 'atg-fixture-index-'));
  const indexDir = join(root, 'index');
  try {
    const summary = await runIngest({ config: loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir }) });
    const index = await loadCurrentGeneration(indexDir, localOnlyQueryEmbedder);
    if (!index) throw new Error(`no index generation in ${indexDir} after ingest`);
    return { index, summary, indexDir, dispose: () => rm(root, { recursive: true, force: true }) };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Write a small corpus (file name -> Markdown lines) into `dir`, build a real index of it, run
 * `use` on the loaded index, and remove the index again, whatever `use` does.
 */
export async function withCorpusIndex<T>(
  dir: string,
  files: Record<string, string[]>,
  use: (index: LoadedIndex) => Promise<T>,
): Promise<T> {
  await Promise.all(Object.entries(files).map(([name, lines]) => writeFile(join(dir, name), lines.join('\n'))));
  const fixture = await buildFixtureIndex(dir);
  try {
    return await use(fixture.index);
  } finally {
    await fixture.dispose();
  }
}

/**
 * One fixture index for the whole test file: built in beforeAll, removed in afterAll. Read
 * its fields inside hooks and tests (they throw before the index is built).
 *
 * @example
 * const fixture = useFixtureIndex();
 * it('...', () => createApp(appDeps(fixture.index)));
 */
export function useFixtureIndex(corpusDir: string = guideFixtureDir): Omit<FixtureIndex, 'dispose'> {
  let fixture: FixtureIndex | undefined;
  beforeAll(async () => {
    fixture = await buildFixtureIndex(corpusDir);
  });
  afterAll(() => fixture?.dispose());
  const built = (): FixtureIndex => {
    if (!fixture) throw new Error('fixture index not built yet: read it inside a hook or test');
    return fixture;
  };
  return {
    get index() {
      return built().index;
    },
    get summary() {
      return built().summary;
    },
    get indexDir() {
      return built().indexDir;
    },
  };
}
