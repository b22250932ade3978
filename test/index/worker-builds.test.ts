import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HnswBuild } from '../../src/index/hnsw-build.ts';
import { HnswSearcher } from '../../src/index/hnsw-searcher.ts';
import { lexicalIndexJson } from '../../src/index/lexical-build.ts';
import { loadLexicalIndex, searchLexical } from '../../src/index/lexical-index.ts';
import { jsonArrayPieces, jsonObjectPieces } from '../../src/index/write-generation.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-workers-');

/** `count` seeded pseudo-random unit vectors, row after row. */
function unitRows(count: number, dims: number, seed = 7): Float32Array {
  let state = seed;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const rows = new Float32Array(count * dims);
  for (let row = 0; row < count; row++) {
    let norm = 0;
    for (let i = 0; i < dims; i++) norm += (rows[row * dims + i] = random()) ** 2;
    for (let i = 0; i < dims; i++) rows[row * dims + i]! /= Math.sqrt(norm);
  }
  return rows;
}

describe('HnswBuild (hnswlib on a worker thread)', () => {
  const options = { m: 16, efConstruction: 100, efSearch: 64 };

  it('writes the same index file as a build on this thread, rows announced as they come', async () => {
    const dims = 24;
    const count = 1500;
    const rows = unitRows(count, dims);
    const build = new HnswBuild(dims, count, options);
    const dir = await tempDir();
    try {
      for (let row = 0; row < count; row++) {
        build.setRow(row, rows.subarray(row * dims, (row + 1) * dims));
        if (row % 400 === 399) build.announce(row + 1);
      }
      expect(build.row(3)).toEqual(rows.subarray(3 * dims, 4 * dims));
      await build.write(join(dir, 'worker.hnsw'));
    } finally {
      await build.close();
    }
    // The same build without a worker (small corpora), all rows at once.
    const here = new HnswBuild(dims, count, { ...options, inWorker: false });
    here.rows.set(rows);
    await here.write(join(dir, 'here.hnsw'));
    await here.close();
    expect(await readFile(join(dir, 'worker.hnsw'))).toEqual(await readFile(join(dir, 'here.hnsw')));

    const searcher = await HnswSearcher.read(join(dir, 'worker.hnsw'), dims, options.efSearch);
    expect(searcher.size).toBe(count);
    for (const row of [0, 777, count - 1])
      expect(searcher.search(rows.subarray(row * dims, (row + 1) * dims), 1)[0]).toMatchObject({ position: row });
  });

  it('never adds rows beyond its size (hnswlib aborts the process on that), and refuses to write once closed', async () => {
    const build = new HnswBuild(4, 2, options);
    const path = join(await tempDir(), 'vectors.hnsw');
    try {
      build.setRow(0, Float32Array.of(1, 0, 0, 0));
      build.setRow(1, Float32Array.of(0, 1, 0, 0));
      build.announce(3);
      await build.write(path);
    } finally {
      await build.close();
    }
    expect((await HnswSearcher.read(path, 4, 16)).size).toBe(2);
    await expect(build.write(path)).rejects.toThrow(/closed/);
  });

  it('fails the write, instead of waiting forever, when its worker died before the write', async () => {
    const build = new HnswBuild(4, 1, options);
    const exited = new Promise((resolve) =>
      (build as unknown as { worker: { once(e: string, f: () => void): void } }).worker.once('exit', () =>
        resolve(undefined),
      ),
    );
    // As when the worker file is missing or the thread runs out of memory.
    await (build as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await exited;
    build.setRow(0, Float32Array.of(1, 0, 0, 0));
    await expect(build.write(join(await tempDir(), 'vectors.hnsw'))).rejects.toThrow(/exited/);
    await build.close();
  });
});

describe('lexicalIndexJson', () => {
  it('gives the same JSON on a worker thread as on this one', async () => {
    const documents = Array.from({ length: 300 }, (_, id) => ({
      id,
      heading: `Section ${id % 7} roadmap`,
      text: `Passage ${id} about ${['pricing', 'hiring', 'interviews', 'résumés', 'stakeholders'][id % 5]} and the product team’s ${id % 3 ? 'launch' : 'research'}.`,
    }));
    const inline = (await lexicalIndexJson(documents)).join('');
    const pieces = await lexicalIndexJson(documents, true);
    // Serialised term by term in the worker (more than one piece), to exactly the same bytes.
    expect(pieces.length).toBeGreaterThan(1);
    const threaded = pieces.join('');
    expect(threaded).toBe(inline);
    const hits = searchLexical(loadLexicalIndex(threaded), 'résumés hiring', 5);
    expect(hits.length).toBeGreaterThan(0);
    expect(documents[hits[0]!.position]!.text).toMatch(/hiring|résumés/);
  });
});

describe('JSON written in pieces', () => {
  it('joins to exactly JSON.stringify', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), (items, perPiece) => {
        expect([...jsonArrayPieces(items, perPiece)].join('')).toBe(JSON.stringify(items));
      }),
    );
    const params = {
      dims: 3,
      documentCount: 2,
      featureIds: Array.from({ length: 25_001 }, (_, i) => i * 7919),
      documentFrequencies: [],
      related: { a: ['b'] },
      skipped: undefined,
    };
    expect([...jsonObjectPieces(params)].join('')).toBe(JSON.stringify(params));
    expect([...jsonObjectPieces({})].join('')).toBe('{}');
  });
});
