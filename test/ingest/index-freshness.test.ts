import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENERATION_FILES } from '../../src/index/manifest.ts';
import { generationDir } from '../../src/index/write-generation.ts';
import { indexIsCurrent } from '../../src/ingest/index-freshness.ts';
import { runIngest } from '../../src/ingest/run-ingest.ts';
import { copyCorpus } from '../helpers/corpus-copy.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-freshness-');

describe('indexIsCurrent (npm start re-indexes when it says no)', () => {
  it('follows documents, synonyms.txt and assistant.yaml, and nothing else in the folder', async () => {
    const { corpusDir, config } = await copyCorpus(await tempDir());
    await runIngest({ config });
    expect(await indexIsCurrent(config)).toBe(true);

    await writeFile(join(corpusDir, 'synonyms.txt'), 'hive, colony\n');
    expect(await indexIsCurrent(config)).toBe(false);
    await runIngest({ config });
    expect(await indexIsCurrent(config)).toBe(true);

    await writeFile(join(corpusDir, 'assistant.yaml'), 'name: Bee Helper\n');
    expect(await indexIsCurrent(config)).toBe(false);
    await runIngest({ config });
    expect(await indexIsCurrent(config)).toBe(true);

    await writeFile(join(corpusDir, 'notes.txt'), 'Notes\n\nSmoke calms bees.\n');
    expect(await indexIsCurrent(config)).toBe(false);
    await runIngest({ config });

    await writeFile(join(corpusDir, 'photo.png'), new Uint8Array([1, 2, 3]));
    expect(await indexIsCurrent(config)).toBe(true);
    await rm(join(corpusDir, 'synonyms.txt'));
    expect(await indexIsCurrent(config)).toBe(false);
  });

  it('is false for a generation of the format before assistant.json (built without synonyms or identity)', async () => {
    const { config } = await copyCorpus(await tempDir());
    const { generation } = await runIngest({ config });
    const path = join(generationDir(config.INDEX_DIR, generation), GENERATION_FILES.manifest);
    const manifest = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...manifest, formatVersion: 2 }));
    expect(await indexIsCurrent(config)).toBe(false);
    // And ingest does not take it for up to date either.
    expect((await runIngest({ config })).upToDate).toBe(false);
  });
});
