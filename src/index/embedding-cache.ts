import { createHash } from 'node:crypto';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFileAtomically } from './fs-atomic.ts';

/**
 * Vectors already computed, keyed by embedder and passage content hash, so that re-ingesting
 * an unchanged corpus embeds nothing and an edit re-embeds only the passages that changed.
 *
 * One binary file per embedder: "ATGC", version, dims, count, then `count` 32-byte sha256
 * hashes, then `count * dims` float32 values.
 */
const MAGIC = 0x43475441; // "ATGC" little-endian
const VERSION = 1;
const HEADER_BYTES = 16;

export class EmbeddingCache {
  private constructor(
    private readonly path: string,
    readonly dims: number,
    private readonly entries: Map<string, Float32Array>,
  ) {}

  /** The cache for an embedder key (`${LOCAL_EMBEDDER_ID}:${dims}`); empty if missing or unreadable. */
  static async open(indexDir: string, embedderKey: string, dims: number): Promise<EmbeddingCache> {
    const name = createHash('sha256').update(embedderKey).digest('hex').slice(0, 16);
    const path = join(indexDir, 'cache', `${name}.bin`);
    const entries = new Map<string, Float32Array>();
    let handle: FileHandle | null = null;
    try {
      // Read in two parts, the vectors straight into an aligned Float32Array (no 150 MB Buffer
      // to copy from at 100,000 passages).
      handle = await open(path, 'r');
      const size = (await handle.stat()).size;
      const header = Buffer.alloc(HEADER_BYTES);
      await readExactly(handle, header, 0);
      const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
      const count = view.getUint32(12, true);
      const expected = HEADER_BYTES + count * 32 + count * dims * 4;
      if (
        view.getUint32(0, true) === MAGIC &&
        view.getUint32(4, true) === VERSION &&
        view.getUint32(8, true) === dims &&
        size === expected
      ) {
        const hashes = Buffer.alloc(count * 32);
        await readExactly(handle, hashes, HEADER_BYTES);
        const vectors = new Float32Array(count * dims);
        await readExactly(handle, new Uint8Array(vectors.buffer), HEADER_BYTES + count * 32);
        for (let i = 0; i < count; i++)
          entries.set(
            hashes.subarray(i * 32, (i + 1) * 32).toString('hex'),
            vectors.subarray(i * dims, (i + 1) * dims),
          );
      }
    } catch {
      // No cache yet (or an unreadable one): everything is embedded afresh.
      entries.clear();
    } finally {
      await handle?.close();
    }
    return new EmbeddingCache(path, dims, entries);
  }

  /**
   * Let go of the cached vectors (once they are copied where they are needed); `save`
   * still works. At 100,000 passages they are 150 MB.
   */
  release(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  get(hash: string): Float32Array | undefined {
    return this.entries.get(hash);
  }

  hashes(): IterableIterator<string> {
    return this.entries.keys();
  }

  has(hash: string): boolean {
    return this.entries.has(hash);
  }

  /**
   * Replace the cache with exactly these entries (the current corpus), atomically. Written in
   * pieces (header and hashes, then the vectors a few thousand at a time): at 100,000 passages
   * the file is 150 MB, which is not worth holding twice.
   */
  async save(entries: ReadonlyMap<string, Float32Array>): Promise<void> {
    const count = entries.size;
    const head = new Uint8Array(HEADER_BYTES + count * 32);
    const view = new DataView(head.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, VERSION, true);
    view.setUint32(8, this.dims, true);
    view.setUint32(12, count, true);
    let i = 0;
    for (const hash of entries.keys()) head.set(Buffer.from(hash, 'hex'), HEADER_BYTES + i++ * 32);
    const dims = this.dims;
    await mkdir(join(this.path, '..'), { recursive: true });
    await replaceFileAtomically(
      this.path,
      (function* () {
        yield head;
        const perPiece = 4096;
        const piece = new Float32Array(perPiece * dims);
        let n = 0;
        for (const vector of entries.values()) {
          piece.set(vector, n++ * dims);
          if (n === perPiece) {
            yield new Uint8Array(piece.buffer, 0, n * dims * 4);
            n = 0;
          }
        }
        if (n > 0) yield new Uint8Array(piece.buffer, 0, n * dims * 4);
      })(),
    );
  }
}

async function readExactly(handle: FileHandle, into: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < into.byteLength; ) {
    const { bytesRead } = await handle.read(into, done, into.byteLength - done, position + done);
    if (bytesRead === 0) throw new Error('embedding cache: unexpected end of file');
    done += bytesRead;
  }
}
