import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCurrentGeneration, localOnlyQueryEmbedder } from '../../src/index/load-generation.ts';
import { GENERATION_FILES } from '../../src/index/manifest.ts';
import { GENERATIONS_DIR, POINTER_FILE } from '../../src/index/write-generation.ts';
import { runIngest, type IngestOptions } from '../../src/ingest/run-ingest.ts';
import { copyCorpus } from '../helpers/corpus-copy.ts';
import { servedIndexFiles, snapshotDir, useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-atomic-');

/** A corpus copy and an index folder with a generation already built and current. */
async function servedIndex() {
  const { corpusDir, indexDir, config } = await copyCorpus(await tempDir());
  const first = await runIngest({ config });
  // Change the corpus so the next run would publish different content.
  await appendFile(
    join(corpusDir, 'beta.md'),
    '\n## Added Later\n\nA new section that the failed run tried to publish.\n',
  );
  return { corpusDir, indexDir, config, first };
}

const fileOrder = [
  GENERATION_FILES.documents,
  GENERATION_FILES.chunks,
  GENERATION_FILES.lexical,
  GENERATION_FILES.localEmbedder,
  GENERATION_FILES.assistant,
  GENERATION_FILES.vectors,
  GENERATION_FILES.manifest,
];

describe('publishing a generation is atomic', () => {
  it('writes every file of a generation, calling afterFile for each', async () => {
    const { indexDir, config } = await servedIndex();
    const seen: string[] = [];
    await runIngest({ config, writeHooks: { afterFile: (name) => void seen.push(name) } });
    expect(seen).toEqual(fileOrder);
    expect(await readdir(join(indexDir, GENERATIONS_DIR))).toHaveLength(2);
  });

  it.each(fileOrder)(
    'a run that dies after writing %s leaves the served generation, pointer and cache untouched',
    async (failAfter) => {
      const { indexDir, config, first } = await servedIndex();
      const before = await snapshotDir(indexDir, servedIndexFiles);
      const pointerBefore = await readFile(join(indexDir, POINTER_FILE));

      const crash = new Error(`simulated crash after ${failAfter}`);
      const hooks: IngestOptions['writeHooks'] = {
        afterFile(name) {
          if (name === failAfter) throw crash;
        },
      };
      await expect(runIngest({ config, writeHooks: hooks })).rejects.toBe(crash);

      expect(await readFile(join(indexDir, POINTER_FILE))).toEqual(pointerBefore);
      // Same files, same bytes: the served generation, the pointer and the embedding cache.
      // No .tmp- folder is left behind and the ingest lock is released.
      expect(await snapshotDir(indexDir, servedIndexFiles)).toEqual(before);
      expect((await readdir(indexDir)).filter((n) => n.startsWith('.tmp-') || n.endsWith('.lock'))).toEqual([]);

      const served = (await loadCurrentGeneration(indexDir, localOnlyQueryEmbedder))!;
      expect(served.generation).toBe(first.generation);
      expect(served.chunks.some((c) => c.section === 'Added Later')).toBe(false);

      // The next run succeeds and publishes the change.
      const next = await runIngest({ config });
      expect(next.generation).not.toBe(first.generation);
      const current = (await loadCurrentGeneration(indexDir, localOnlyQueryEmbedder))!;
      expect(current.generation).toBe(next.generation);
      expect(current.chunks.some((c) => c.section === 'Added Later')).toBe(true);
    },
  );

  it('a run that fails while embedding leaves everything untouched too', async () => {
    const { indexDir, config } = await servedIndex();
    const before = await snapshotDir(indexDir, servedIndexFiles);
    await expect(
      runIngest({
        config,
        onProgress: () => {
          throw new Error('progress callback failed');
        },
      }),
    ).rejects.toThrow('progress callback failed');
    expect(await snapshotDir(indexDir, servedIndexFiles)).toEqual(before);
  });

  it('keeps the current and previous generations, prunes older ones and leftovers of dead runs', async () => {
    const { indexDir, config, first } = await servedIndex();
    await mkdir(join(indexDir, '.tmp-20000101T000000000Z-dead00'));
    await writeFile(join(indexDir, '.tmp-20000101T000000000Z-dead00', 'chunks.json'), '[');
    const second = await runIngest({ config });
    // Unchanged, so only a forced run publishes a third generation.
    const third = await runIngest({ config, force: true });
    expect((await readdir(join(indexDir, GENERATIONS_DIR))).sort()).toEqual(
      [second.generation, third.generation].sort(),
    );
    expect(await readdir(join(indexDir, GENERATIONS_DIR))).not.toContain(first.generation);
    expect((await readdir(indexDir)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('refuses to run while another live ingest holds the lock, and takes over a dead one’s lock', async () => {
    const { indexDir, config } = await servedIndex();
    const before = await snapshotDir(indexDir, servedIndexFiles);
    // This process is alive: its pid in the lock means "an ingest is running".
    await writeFile(join(indexDir, '.ingest.lock'), String(process.pid));
    await expect(runIngest({ config })).rejects.toThrow(/another ingest \(pid \d+\) is running/);
    expect(await readFile(join(indexDir, '.ingest.lock'), 'utf8')).toBe(String(process.pid));
    // A pid that cannot be alive: the lock is stale and taken over.
    await writeFile(join(indexDir, '.ingest.lock'), '2147483646');
    await runIngest({ config });
    expect(await snapshotDir(indexDir, servedIndexFiles)).not.toEqual(before);
    expect(await readdir(indexDir)).not.toContain('.ingest.lock');
  });
});
