import { watch, type FSWatcher } from 'chokidar';
import { runIngest, type IngestOptions, type IngestResult } from './run-ingest.ts';

export interface WatchOptions extends Pick<IngestOptions, 'config' | 'onWarning' | 'onProgress'> {
  /** Quiet time after the last change before re-ingesting: an editor's save is several events. */
  debounceMs?: number;
  /** Each ingest that ran to the end (a new generation, or "up to date"). */
  onIngested(result: IngestResult): void;
  /** Each ingest that failed (a bad file, say): the generation being served is untouched. */
  onFailed(error: unknown): void;
}

export interface CorpusWatch {
  /** Settles when the first ingest (run at once) is over. */
  ready: Promise<void>;
  /** Stop watching, and wait for an ingest in progress to end (a half-done one is never left behind). */
  close(): Promise<void>;
}

const DEFAULT_DEBOUNCE_MS = 300;

/**
 * `npm run ingest -- --watch`: ingest now, then again whenever the corpus folder changes
 * (documents, assistant.yaml, synonyms.txt), one run at a time. A change during a run is
 * picked up by one more run after it. A failing run is reported and the next change tries
 * again; a running server keeps serving the last good generation and swaps to each new one.
 */
export function watchCorpus(options: WatchOptions): CorpusWatch {
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  const ingestOnce = async () => {
    try {
      options.onIngested(
        await runIngest({ config: options.config, onWarning: options.onWarning, onProgress: options.onProgress }),
      );
    } catch (error) {
      options.onFailed(error);
    }
  };
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await ingestOnce();
      } while (again && !closed);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const watcher: FSWatcher = watch(options.config.CORPUS_DIR, { ignoreInitial: true, depth: 0 });
  watcher.on('all', () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  });
  // A watcher error (the folder removed, say) is reported like a failed run; watching goes on.
  watcher.on('error', (error) => options.onFailed(error));

  const ready = new Promise<void>((resolve) => watcher.once('ready', resolve)).then(() => run());
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}
