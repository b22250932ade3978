import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/corpus/types.ts';
import { loadCurrentGeneration, localOnlyQueryEmbedder } from '../../src/index/load-generation.ts';
import { GENERATIONS_DIR } from '../../src/index/write-generation.ts';
import { runIngest } from '../../src/ingest/run-ingest.ts';
import { copyCorpus } from '../helpers/corpus-copy.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-incremental-');

/** A fixture corpus copy to ingest, and the chunks of its current generation. */
async function setup() {
  const { corpusDir, indexDir, config } = await copyCorpus(await tempDir());
  const chunks = async (): Promise<Chunk[]> => (await loadCurrentGeneration(indexDir, localOnlyQueryEmbedder))!.chunks;
  return { corpusDir, indexDir, config, chunks };
}

async function editFile(path: string, from: string, to: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  expect(text).toContain(from);
  await writeFile(path, text.replace(from, to));
}

const hashes = (chunks: Chunk[]) => new Set(chunks.map((c) => c.hash));
const minus = (a: Set<string>, b: Set<string>) => [...a].filter((x) => !b.has(x));

describe('incremental ingest', () => {
  it('embeds everything once, then nothing when the corpus is unchanged', async () => {
    const { config, chunks } = await setup();
    const first = await runIngest({ config });
    expect(first.embedded).toBe(hashes(await chunks()).size);
    expect(first.embedded).toBe(first.chunks);
    expect(first).toMatchObject({ reused: 0, removed: 0, upToDate: false });

    const second = await runIngest({ config, force: true });
    expect(second).toMatchObject({
      documents: first.documents,
      sections: first.sections,
      chunks: first.chunks,
      embedded: 0,
      reused: first.chunks,
      removed: 0,
    });
    expect(second.generation).not.toBe(first.generation);
  });

  it('writes no generation for an unchanged corpus, and one when a document, synonyms.txt or assistant.yaml changes', async () => {
    const { corpusDir, indexDir, config } = await setup();
    const first = await runIngest({ config });
    const generations = () => readdir(join(indexDir, GENERATIONS_DIR));

    const same = await runIngest({ config });
    expect(same).toMatchObject({
      upToDate: true,
      generation: first.generation,
      embedded: 0,
      reused: first.chunks,
      removed: 0,
      chunks: first.chunks,
    });
    expect(await generations()).toEqual([first.generation]);

    let previous = first.generation;
    for (const [file, content] of [
      ['synonyms.txt', 'hive, colony\n'],
      ['assistant.yaml', 'name: Bee Helper\n'],
      ['synonyms.txt', 'hive, colony, nest\n'],
    ] as const) {
      await writeFile(join(corpusDir, file), content);
      const changed = await runIngest({ config });
      expect(changed, `after writing ${file}`).toMatchObject({ upToDate: false, embedded: 0 });
      expect(changed.generation).not.toBe(previous);
      expect((await runIngest({ config })).upToDate).toBe(true);
      previous = changed.generation;
    }
    // A file that is not part of the corpus changes nothing.
    await writeFile(join(corpusDir, 'photo.png'), new Uint8Array([1, 2, 3]));
    expect(await runIngest({ config })).toMatchObject({ upToDate: true, generation: previous });
    // Other embedder settings are another index.
    expect((await runIngest({ config, dims: 128 })).upToDate).toBe(false);
  });

  it('re-embeds only the chunks an edit changed, and counts the hashes it dropped', async () => {
    const { corpusDir, config, chunks } = await setup();
    await runIngest({ config });
    const before = await chunks();

    await editFile(
      join(corpusDir, 'alpha.md'),
      'A Langstroth hive is the common choice',
      'A top-bar hive is a cheaper choice',
    );
    const after = await runIngest({ config });
    const now = await chunks();

    const added = minus(hashes(now), hashes(before));
    const dropped = minus(hashes(before), hashes(now));
    expect(added).toHaveLength(1);
    expect(after.embedded).toBe(added.length);
    expect(after.removed).toBe(dropped.length);
    expect(after.removed).toBe(1);
    expect(after.reused).toBe(after.chunks - after.embedded);
    expect(now.find((c) => c.hash === added[0])!.text).toMatch(/^A top-bar hive/);
  });

  it('re-embeds a small number of chunks when a paragraph of a long section changes', async () => {
    const { corpusDir, config, chunks } = await setup();
    await runIngest({ config });
    const before = hashes(await chunks());

    await editFile(
      join(corpusDir, 'alpha.md'),
      'A record book helps more than memory.',
      'A notebook helps more than memory.',
    );
    const after = await runIngest({ config });
    const now = hashes(await chunks());
    expect(after.embedded).toBeGreaterThan(0);
    expect(after.embedded).toBeLessThanOrEqual(2);
    expect(after.embedded).toBe(minus(now, before).length);
    expect(after.removed).toBe(minus(before, now).length);
  });

  it('drops a deleted document’s hashes from the cache, so restoring it embeds its chunks again', async () => {
    const { corpusDir, config } = await setup();
    const first = await runIngest({ config });
    const beta = await readFile(join(corpusDir, 'beta.md'));
    await rm(join(corpusDir, 'beta.md'));
    const without = await runIngest({ config });
    expect(without.documents).toBe(1);
    expect(without.embedded).toBe(0);
    expect(without.removed).toBe(first.chunks - without.chunks);

    // The cache holds the current corpus only, so the restored document is embedded again.
    await writeFile(join(corpusDir, 'beta.md'), beta);
    const back = await runIngest({ config });
    expect(back.embedded).toBe(first.chunks - without.chunks);
    expect(back.removed).toBe(0);
  });

  it('embeds afresh when the cache is gone, and publishes the same chunks', async () => {
    const { indexDir, config, chunks } = await setup();
    const first = await runIngest({ config });
    const before = await chunks();
    await rm(join(indexDir, 'cache'), { recursive: true });
    const second = await runIngest({ config, force: true });
    expect(second.embedded).toBe(first.chunks);
    expect(await chunks()).toEqual(before);
  });
});
