import { createHash } from 'node:crypto';
import { readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddingCache } from '../../src/index/embedding-cache.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-cache-');
const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const entries = (dims: number, ...keys: string[]) =>
  new Map(keys.map((k, i) => [hash(k), Float32Array.from({ length: dims }, (_, j) => i + j / 10)]));

describe('EmbeddingCache', () => {
  it('round-trips vectors by content hash, per embedder key', async () => {
    const dir = await tempDir();
    const saved = entries(3, 'a', 'b');
    await (await EmbeddingCache.open(dir, 'local-hash-v1:3', 3)).save(saved);

    const cache = await EmbeddingCache.open(dir, 'local-hash-v1:3', 3);
    expect(cache.size).toBe(2);
    expect([...cache.hashes()].sort()).toEqual([hash('a'), hash('b')].sort());
    expect(Array.from(cache.get(hash('b'))!)).toEqual(Array.from(saved.get(hash('b'))!));
    expect(cache.has(hash('c'))).toBe(false);
    // Another embedder has its own file.
    expect((await EmbeddingCache.open(dir, 'openai:https://x/v1:m', 3)).size).toBe(0);
    expect(await readdir(join(dir, 'cache'))).toHaveLength(1);
  });

  it('replaces the cache with exactly the entries saved', async () => {
    const dir = await tempDir();
    await (await EmbeddingCache.open(dir, 'k', 2)).save(entries(2, 'a', 'b'));
    await (await EmbeddingCache.open(dir, 'k', 2)).save(entries(2, 'c'));
    expect([...(await EmbeddingCache.open(dir, 'k', 2)).hashes()]).toEqual([hash('c')]);
    expect((await readdir(join(dir, 'cache'))).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('starts empty when the file is truncated, has other dimensions, or is garbage', async () => {
    const dir = await tempDir();
    await (await EmbeddingCache.open(dir, 'k', 4)).save(entries(4, 'a', 'b'));
    const [name] = await readdir(join(dir, 'cache'));
    const path = join(dir, 'cache', name!);
    const good = await readFile(path);

    expect((await EmbeddingCache.open(dir, 'k', 8)).size).toBe(0);
    await truncate(path, good.byteLength - 1);
    expect((await EmbeddingCache.open(dir, 'k', 4)).size).toBe(0);
    await writeFile(path, 'not a cache at all');
    expect((await EmbeddingCache.open(dir, 'k', 4)).size).toBe(0);
    await writeFile(path, good);
    expect((await EmbeddingCache.open(dir, 'k', 4)).size).toBe(2);
  });
});
