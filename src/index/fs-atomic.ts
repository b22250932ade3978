import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Write a file and flush it to disk before returning, so a later rename publishes whole data.
 * `data` may come in pieces (written in order; a piece may reuse the previous one's memory).
 */
export async function writeFileSynced(path: string, data: string | Uint8Array | Iterable<Uint8Array>): Promise<void> {
  const handle = await open(path, 'w');
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else
      for (const piece of data)
        for (let written = 0; written < piece.byteLength; )
          written += (await handle.write(piece, written)).bytesWritten;
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync a folder so that renames inside it survive a crash. */
export async function syncDir(path: string): Promise<void> {
  await syncOpened(path, 'r');
}

/** fsync a file that something else wrote (hnswlib writes the vector index by itself). */
export async function syncFile(path: string): Promise<void> {
  await syncOpened(path, 'r+');
}

async function syncOpened(path: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replace a file atomically: write a sibling temporary file, fsync it, rename it over. */
export async function replaceFileAtomically(
  path: string,
  data: string | Uint8Array | Iterable<Uint8Array>,
): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFileSynced(temporary, data);
    await rename(temporary, path);
    await syncDir(dirname(path));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
