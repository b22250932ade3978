import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { replaceFileAtomically } from '../index/fs-atomic.ts';

/**
 * The validators of each source's last fetch, kept beside the fetched files in the corpus
 * folder and committed with them: they describe the very files in the repository, so a
 * `--fetch` from any checkout asks the server "changed since this version?" and a 304 keeps
 * the file. A dot-file, so the corpus loader never reads it as a document.
 */
export const FETCH_STATE_FILE = '.fetch-state.json';

const sourceStateSchema = z.object({
  file: z.string(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
});

const fetchStateSchema = z.object({ sources: z.record(z.string(), sourceStateSchema) });

export type SourceState = z.infer<typeof sourceStateSchema>;
export type FetchState = z.infer<typeof fetchStateSchema>;

/**
 * The state of the last fetch; empty when there is none. A damaged file counts as none:
 * the next fetch is then unconditional, which costs a download and nothing else.
 */
export async function readFetchState(corpusDir: string): Promise<FetchState> {
  try {
    const parsed = fetchStateSchema.safeParse(JSON.parse(await readFile(join(corpusDir, FETCH_STATE_FILE), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // absent or not JSON
  }
  return { sources: {} };
}

/** Written sorted by URL, one field a line, so that its diff shows which source changed. */
export async function writeFetchState(corpusDir: string, state: FetchState): Promise<void> {
  const sources = Object.fromEntries(Object.entries(state.sources).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await replaceFileAtomically(join(corpusDir, FETCH_STATE_FILE), `${JSON.stringify({ sources }, null, 2)}\n`);
}
