import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/config.ts';
import { GenerationWatcher } from '../../src/index/generation-watcher.ts';
import { localOnlyQueryEmbedder } from '../../src/index/load-generation.ts';
import { runIngest } from '../../src/ingest/run-ingest.ts';
import { generationDir } from '../../src/index/write-generation.ts';
import type { AskResponse } from '../../src/rag/types.ts';
import { createApp } from '../../src/server/app.ts';
import { askRequest } from '../helpers/ask-request.ts';
import { guideFixtureDir } from '../helpers/build-fixture-index.ts';
import { copyCorpus } from '../helpers/corpus-copy.ts';
import { copyGeneration, editManifest, pointTo, truncateKeepingManifest } from '../helpers/index-files.ts';
import { makeTempDir, removeTempDir } from '../helpers/temp-dir.ts';
import { appDeps, memoryLogger, until } from './support.ts';

/**
 * The generation watcher in-process: it follows the pointer even when it moves twice while a
 * generation is loading, refuses every kind of broken generation (logging why) while the old
 * one keeps serving and /health keeps naming it, and a request keeps the generation it
 * started with across a swap.
 */

/** While `hold.gate` is set, loading a generation waits for it: a load caught mid-way, on purpose. */
const hold = vi.hoisted(() => ({ gate: null as Promise<void> | null, started: [] as string[] }));
vi.mock('../../src/index/load-generation.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/index/load-generation.ts')>();
  return {
    ...original,
    loadGeneration: async (...args: Parameters<typeof original.loadGeneration>) => {
      hold.started.push(args[1]);
      if (hold.gate) await hold.gate;
      return original.loadGeneration(...args);
    },
  };
});

let root: string;
let corpus: string;
let indexDir: string;
let config: Config;
const generations: string[] = [];

/** A heading that tells generations apart: "Building a Side Project (edition N)". */
async function writeEdition(n: number): Promise<void> {
  const file = join(corpus, 'product-side-projects.md');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace(/^## Building a Side Project.*$/m, `## Building a Side Project (edition ${n})`));
}

const ingest = async () => (await runIngest({ config })).generation;
/** Point at `generation` and have the watcher read the pointer (what its file watch does). */
const moveTo = async (watcher: GenerationWatcher, generation: string) => {
  await pointTo(indexDir, generation);
  await watcher.refresh();
};
/** A watcher of the index folder, serving `generation`. */
const watcherServing = async (generation: string, logger = memoryLogger()) => {
  const watcher = new GenerationWatcher(indexDir, localOnlyQueryEmbedder, logger);
  await moveTo(watcher, generation);
  return watcher;
};

beforeAll(async () => {
  root = await makeTempDir('atg-watcher-');
  ({ corpusDir: corpus, indexDir, config } = await copyCorpus(root, guideFixtureDir));
  for (const n of [1, 2, 3]) {
    await writeEdition(n);
    generations.push(await ingest());
  }
});
afterAll(() => removeTempDir(root));

describe('following the pointer', () => {
  it('the pointer moving again while a generation loads is not lost', async () => {
    const [, second, third] = generations as [string, string, string];
    const watcher = await watcherServing(second);
    expect(watcher.current()?.generation).toBe(second);

    // A third loadable generation: a copy of the second under another name.
    const copy = `${second}-copy`;
    await copyGeneration(indexDir, second, copy);

    let release!: () => void;
    hold.gate = new Promise<void>((resolve) => (release = resolve));
    hold.started.length = 0;
    try {
      await pointTo(indexDir, third);
      const loading = watcher.refresh(); // starts loading the third, which waits at the gate
      await until(() => hold.started.includes(third), 'the third generation starts loading');
      await pointTo(indexDir, copy); // the pointer moves on while that load runs
      const again = watcher.refresh(); // what the file watcher does on that change
      release();
      await Promise.all([loading, again]);
    } finally {
      hold.gate = null;
      release();
    }
    expect(watcher.current()?.generation).toBe(copy);
    await rm(generationDir(indexDir, copy), { recursive: true, force: true });
  });
});

describe('a generation that fails verification', () => {
  type Breakage = [name: string, breakIt: (dir: string, generation: string) => Promise<void>, reason: RegExp];
  const breakages: Breakage[] = [
    [
      'sha256 mismatch',
      async (dir) => {
        const path = join(dir, 'chunks.json');
        const bytes = await readFile(path);
        // Same length, different content.
        bytes[bytes.indexOf('side'.charCodeAt(0))] = 'S'.charCodeAt(0);
        await writeFile(path, bytes);
      },
      /sha256/,
    ],
    [
      'truncated hnswlib file (manifest agrees)',
      async (dir) => truncateKeepingManifest(dir, 'vectors.hnsw', 5000),
      /vector index unreadable/,
    ],
    [
      'truncated hnswlib file',
      async (dir) => truncate(join(dir, 'vectors.hnsw'), 1000),
      /vectors\.hnsw has 1000 bytes/,
    ],
    ['missing file', async (dir) => rm(join(dir, 'lexical.json')), /lexical\.json is missing/],
    [
      'different format version',
      async (dir) => editManifest(dir, (m) => ({ ...m, formatVersion: 99 })),
      /index format 99/,
    ],
    [
      'manifest not JSON',
      async (dir) => writeFile(join(dir, 'manifest.json'), '{"formatVersion": 1,'),
      /not valid JSON/,
    ],
    [
      'pointer to a generation that does not exist',
      async (dir) => rm(dir, { recursive: true }),
      /manifest\.json is missing/,
    ],
  ];

  it.each(breakages)(
    '%s: refused and logged; the old generation keeps serving and /health names it',
    async (name, breakIt, reason) => {
      const good = generations[2]!;
      const logger = memoryLogger();
      const watcher = await watcherServing(good, logger);
      const app = createApp(appDeps(null, { index: watcher }));

      const bad = `bad-${name.replace(/\W+/g, '-')}-${Date.now()}`;
      await breakIt(await copyGeneration(indexDir, good, bad), bad);
      await moveTo(watcher, bad);

      expect(watcher.current()?.generation).toBe(good);
      const refused = logger.records().find((r) => r.msg === 'refused index generation');
      expect(refused).toMatchObject({ level: 'error', generation: bad, serving: good });
      expect(String(refused?.reason)).toMatch(reason);
      const health = (await (await app.request('/health')).json()) as { index: { generation: string } };
      expect(health.index.generation).toBe(good);
      const ask = await app.request('/ask', askRequest({ question: 'What side project should I build?' }));
      expect(ask.status).toBe(200);

      // Once a good generation is published again, it is picked up.
      await moveTo(watcher, good);
      expect(watcher.current()?.generation).toBe(good);
      await rm(generationDir(indexDir, bad), { recursive: true, force: true });
    },
  );
});

describe('a request in flight when the generation changes', () => {
  it('finishes on the generation it started with', async () => {
    const [, second, third] = generations as [string, string, string];
    const watcher = await watcherServing(second);
    const app = createApp(appDeps(null, { index: watcher }));
    const res = await app.request('/ask', askRequest({ question: 'How do I start building a side project?' }, true));
    expect(res.status).toBe(200);
    // The stream has started on the second edition; swap to the third before reading it.
    await moveTo(watcher, third);
    expect(watcher.current()?.generation).toBe(third);
    const text = await res.text();
    const done = JSON.parse(text.split('event: done\ndata: ')[1]!.split('\n')[0]!) as AskResponse;
    const sections = done.citations.map((c) => c.section);
    expect(sections.some((s) => s.includes('(edition 2)'))).toBe(true);
    expect(sections.some((s) => s.includes('(edition 3)'))).toBe(false);
  });
});
