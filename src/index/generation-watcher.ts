import { watchFile, unwatchFile } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import { loadGeneration, type QueryEmbedderFactory } from './load-generation.ts';
import type { LoadedIndex } from './loaded-index.ts';
import { POINTER_FILE, readCurrentGeneration } from './write-generation.ts';

/**
 * Serves the current index generation and follows the pointer file: when `npm run ingest`
 * publishes a new generation, it is verified and loaded in the background, then swapped in
 * with one assignment. Requests already running keep the generation they started with; a
 * generation that fails verification is refused and the old one keeps serving.
 */
export class GenerationWatcher {
  private serving: LoadedIndex | null = null;
  private loading: Promise<void> | null = null;
  /** The pointer changed while a load was running: read it again when that load is over. */
  private changedWhileLoading = false;
  private rejected = new Set<string>();

  constructor(
    private readonly indexDir: string,
    private readonly createQueryEmbedder: QueryEmbedderFactory,
    private readonly logger: Logger,
    private readonly pollMs = 500,
  ) {}

  current(): LoadedIndex | null {
    return this.serving;
  }

  /** Load whatever the pointer names now; resolves once that attempt is over. */
  async refresh(): Promise<void> {
    // One load at a time. A change seen meanwhile is remembered and the pointer read again
    // once the load is over: the file watcher reports a change only once, so without this a
    // second ingest that lands during a load would not be served until a third one.
    if (this.loading) {
      this.changedWhileLoading = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.changedWhileLoading = false;
        await this.loadPointed();
      } while (this.changedWhileLoading);
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  start(): void {
    watchFile(join(this.indexDir, POINTER_FILE), { interval: this.pollMs }, () => void this.refresh());
  }

  stop(): void {
    unwatchFile(join(this.indexDir, POINTER_FILE));
  }

  private async loadPointed(): Promise<void> {
    const generation = await readCurrentGeneration(this.indexDir);
    if (!generation || generation === this.serving?.generation || this.rejected.has(generation)) return;
    try {
      const started = performance.now();
      const next = await loadGeneration(this.indexDir, generation, this.createQueryEmbedder);
      const previous = this.serving?.generation ?? null;
      this.serving = next;
      this.logger.info(
        { generation, previous, chunks: next.chunks.length, ms: Math.round(performance.now() - started) },
        'serving index generation',
      );
    } catch (error) {
      this.rejected.add(generation);
      this.logger.error(
        { generation, serving: this.serving?.generation ?? null, reason: (error as Error).message },
        'refused index generation',
      );
    }
  }
}
