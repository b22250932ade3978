import { Worker } from 'node:worker_threads';
import { addRows, newHnswGraph } from './hnsw-graph.mjs';

export interface HnswBuildOptions {
  m: number;
  efConstruction: number;
  /**
   * Build on a worker thread (default). Without, the index is built at `write` on this thread:
   * for a small corpus, where starting a worker costs more than the build.
   */
  inWorker?: boolean;
}

/**
 * An hnswlib index built on a worker thread while the ingest goes on: the ingest writes each
 * chunk's vector into a shared row-major matrix (`setRow`), the worker adds rows to the graph
 * as they are announced, and `write` saves the finished index. Inserting is the most costly
 * step of an ingest (single-threaded in hnswlib-node), so it runs beside feature extraction,
 * the lexical index and the JSON writes instead of after them.
 *
 * The matrix is the only copy of the vectors the ingest needs: `row` gives a view of it.
 * Either way the index file is the same, byte for byte (same rows, same order, same seed).
 */
export class HnswBuild {
  readonly rows: Float32Array;
  private readonly worker: Worker | null;
  private announced = 0;
  private failure: Error | null = null;
  private pending: { resolve(): void; reject(error: Error): void } | null = null;
  private closed = false;

  constructor(
    readonly dims: number,
    readonly count: number,
    private readonly options: HnswBuildOptions,
  ) {
    if (options.inWorker === false) {
      this.rows = new Float32Array(count * dims);
      this.worker = null;
      return;
    }
    const shared = new SharedArrayBuffer(Math.max(1, count * dims) * 4);
    this.rows = new Float32Array(shared, 0, count * dims);
    const worker = new Worker(new URL('./hnsw-build-worker.mjs', import.meta.url), {
      workerData: { shared, dims, count, m: options.m, efConstruction: options.efConstruction },
      // No TypeScript loader is needed in there (plain JavaScript), nor any of ours.
      execArgv: [],
    });
    this.worker = worker;
    worker.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'written') this.settle(null);
      else if (message.type === 'error') this.settle(new Error(`HNSW build: ${message.message}`));
    });
    worker.on('error', (error) => this.settle(error));
    worker.on('exit', (code) => {
      if (!this.closed) this.settle(new Error(`HNSW build worker exited with code ${code}`));
    });
  }

  /** The stored vector of a row (a view of the shared matrix). */
  row(row: number): Float32Array {
    return this.rows.subarray(row * this.dims, (row + 1) * this.dims);
  }

  /** Row `to` gets the vector of row `from` (a passage repeated in the corpus). */
  copyRow(to: number, from: number): void {
    this.rows.copyWithin(to * this.dims, from * this.dims, (from + 1) * this.dims);
  }

  setRow(row: number, vector: Float32Array): void {
    this.rows.set(vector, row * this.dims);
  }

  /** Rows below `end` are final: the worker may add them to the graph. */
  announce(end: number): void {
    // Never past the index's size: hnswlib-node aborts the whole process on one row too many.
    end = Math.min(end, this.count);
    if (end <= this.announced) return;
    this.announced = end;
    this.worker?.postMessage({ type: 'rows', end });
  }

  /** Add every row, then save the index to `path`. */
  async write(path: string): Promise<void> {
    if (this.closed) throw new Error('HNSW build: closed');
    this.announce(this.count);
    const worker = this.worker;
    if (!worker) {
      // The worker's own steps, on this thread (hnsw-graph.mjs).
      const graph = newHnswGraph(this.dims, this.count, this.options);
      addRows(graph, this.rows, this.dims, 0, this.count);
      graph.writeIndexSync(path);
      return;
    }
    // A worker that already failed (or never started: its file missing) would never answer.
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      this.pending = { resolve, reject };
      worker.postMessage({ type: 'write', path });
    });
    // An error the worker reported before (while adding rows) fails the write too.
    if (this.failure) throw this.failure;
  }

  /** Stop the worker (after `write`, or to abandon the build). */
  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.terminate();
  }

  private settle(error: Error | null): void {
    if (error) this.failure ??= error;
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    if (error) pending.reject(error);
    else pending.resolve();
  }
}
