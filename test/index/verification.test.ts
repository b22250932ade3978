import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import {
  IndexVerificationError,
  loadCurrentGeneration,
  loadGeneration,
  localOnlyQueryEmbedder,
} from '../../src/index/load-generation.ts';
import { GENERATION_FILES, INDEX_FORMAT_VERSION } from '../../src/index/manifest.ts';
import { generationDir, POINTER_FILE, sha256File } from '../../src/index/write-generation.ts';
import { runIngest } from '../../src/ingest/run-ingest.ts';
import { TEXT_ANALYSIS_VERSION } from '../../src/text/analyze.ts';
import { editManifest } from '../helpers/index-files.ts';
import { copyDir, fixtureCorpusDir, makeTempDir, removeTempDir, useTempDirs } from '../helpers/temp-dir.ts';

/**
 * A generation that is not exactly what its manifest records is never served: each case
 * damages a copy of a freshly built index and expects IndexVerificationError.
 */

const tempDir = useTempDirs('atg-verify-');
let built: string;
let generation: string;

beforeAll(async () => {
  built = await makeTempDir('atg-verify-built-');
  generation = (await runIngest({ config: loadConfig({ CORPUS_DIR: fixtureCorpusDir, INDEX_DIR: built }) })).generation;
});
afterAll(() => removeTempDir(built));

/** A fresh copy of the built index, and the path of its generation folder. */
async function copyOfIndex(): Promise<{ indexDir: string; dir: string }> {
  const indexDir = await copyDir(built, join(await tempDir(), 'index'));
  return { indexDir, dir: generationDir(indexDir, generation) };
}

async function expectRefused(indexDir: string, reason: RegExp): Promise<void> {
  const error = await loadGeneration(indexDir, generation, localOnlyQueryEmbedder).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IndexVerificationError);
  expect((error as Error).message).toMatch(reason);
  expect((error as Error).message).not.toContain('\n');
  // Through the pointer too: the server's path.
  await expect(loadCurrentGeneration(indexDir, localOnlyQueryEmbedder)).rejects.toBeInstanceOf(IndexVerificationError);
}

describe('loadGeneration verification', () => {
  it('accepts the undamaged copy', async () => {
    const { indexDir } = await copyOfIndex();
    expect((await loadGeneration(indexDir, generation, localOnlyQueryEmbedder)).generation).toBe(generation);
  });

  it('refuses a truncated vectors.hnsw', async () => {
    const { indexDir, dir } = await copyOfIndex();
    await truncate(join(dir, GENERATION_FILES.vectors), 100);
    await expectRefused(indexDir, /vectors\.hnsw has 100 bytes, manifest says \d+/);
  });

  it.each(Object.values(GENERATION_FILES).filter((n) => n !== GENERATION_FILES.manifest))(
    'refuses a generation whose %s is missing',
    async (name) => {
      const { indexDir, dir } = await copyOfIndex();
      await rm(join(dir, name));
      await expectRefused(indexDir, new RegExp(`${name.replace('.', '\\.')} is missing`));
    },
  );

  it('refuses a generation without a manifest', async () => {
    const { indexDir, dir } = await copyOfIndex();
    await rm(join(dir, GENERATION_FILES.manifest));
    await expectRefused(indexDir, /manifest\.json is missing/);
  });

  it('refuses another format version', async () => {
    const { indexDir, dir } = await copyOfIndex();
    await editManifest(dir, (m) => ({ ...m, formatVersion: m.formatVersion + 1 }));
    await expectRefused(
      indexDir,
      new RegExp(`index format ${INDEX_FORMAT_VERSION + 1}, this server reads format ${INDEX_FORMAT_VERSION}`),
    );
  });

  it('refuses a generation built with another text analysis (its words were analysed differently)', async () => {
    const { indexDir, dir } = await copyOfIndex();
    await editManifest(dir, (m) => ({ ...m, analysis: TEXT_ANALYSIS_VERSION - 1 }));
    await expectRefused(
      indexDir,
      new RegExp(
        `text analysis v${TEXT_ANALYSIS_VERSION - 1}, this code analyses with v${TEXT_ANALYSIS_VERSION}; re-run npm run ingest`,
      ),
    );
  });

  it('refuses a manifest that is not JSON', async () => {
    const { indexDir, dir } = await copyOfIndex();
    await writeFile(join(dir, GENERATION_FILES.manifest), `{"formatVersion": ${INDEX_FORMAT_VERSION},`);
    await expectRefused(indexDir, /not valid JSON/);
  });

  it('refuses a manifest missing a field', async () => {
    const { indexDir, dir } = await copyOfIndex();
    await editManifest(dir, ({ embedder: _embedder, ...rest }) => rest);
    await expectRefused(indexDir, /malformed/);
  });

  it('refuses a manifest that names another generation', async () => {
    const { indexDir, dir } = await copyOfIndex();
    await editManifest(dir, (m) => ({ ...m, generation: 'someone-else' }));
    await expectRefused(indexDir, /manifest names someone-else/);
  });

  it('refuses a file whose bytes changed but whose size did not', async () => {
    const { indexDir, dir } = await copyOfIndex();
    const path = join(dir, GENERATION_FILES.chunks);
    const bytes = await readFile(path);
    bytes.write('X', bytes.indexOf('Langstroth')); // same length, different content
    await writeFile(path, bytes);
    await expectRefused(indexDir, /chunks\.json fails its sha256 check/);
  });

  it('refuses a vector index that cannot be read, even with a manifest that matches it', async () => {
    const { indexDir, dir } = await copyOfIndex();
    const path = join(dir, GENERATION_FILES.vectors);
    await writeFile(path, Buffer.alloc(256, 7));
    const sha256 = await sha256File(path);
    await editManifest(dir, (m) => {
      m.files[GENERATION_FILES.vectors] = { bytes: 256, sha256 };
    });
    await expectRefused(indexDir, /vector index unreadable/);
  });

  it('refuses a chunk count that disagrees with the vectors', async () => {
    const { indexDir, dir } = await copyOfIndex();
    await editManifest(dir, (m) => ({ ...m, counts: { ...m.counts, chunks: m.counts.chunks + 1 } }));
    await expectRefused(indexDir, /vectors for \d+ chunks/);
  });

  it('refuses a pointer to a generation that does not exist', async () => {
    const { indexDir } = await copyOfIndex();
    await writeFile(join(indexDir, POINTER_FILE), 'not-a-generation\n');
    await expect(loadCurrentGeneration(indexDir, localOnlyQueryEmbedder)).rejects.toThrow(IndexVerificationError);
  });

  it('refuses, with the local-only factory, an index built with other embeddings', async () => {
    const { indexDir, dir } = await copyOfIndex();
    await editManifest(dir, (m) => ({
      ...m,
      embedder: { id: 'openai', model: 'text-embedding-3-small', dims: m.embedder.dims },
    }));
    await expectRefused(indexDir, /built with openai embeddings \(text-embedding-3-small\)/);
  });
});
