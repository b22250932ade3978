import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { copyDir, fixtureCorpusDir } from './temp-dir.ts';

/** What an ingest test works on: its own copy of a corpus, and an index folder beside it. */
export interface CorpusCopy {
  corpusDir: string;
  /** `<root>/index`, not created: the first ingest makes it. */
  indexDir: string;
  /** The config that ingests `corpusDir` into `indexDir` (local embeddings). */
  config: Config;
}

/** Copy `corpus` (default: the fixture corpus) to `<root>/corpus`, with `<root>/index` to ingest it into. */
export async function copyCorpus(root: string, corpus: string = fixtureCorpusDir): Promise<CorpusCopy> {
  const corpusDir = await copyDir(corpus, join(root, 'corpus'));
  const indexDir = join(root, 'index');
  return { corpusDir, indexDir, config: loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir }) };
}
