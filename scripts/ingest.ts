/**
 * npm run ingest [-- --json] [-- --watch] [-- --force] [-- --fetch]
 * Chunk and embed the corpus into a new index generation and make it current; with an
 * unchanged corpus, say so and write nothing (--force: write one all the same). --watch: then
 * again on every change of the corpus folder, until Ctrl-C. With --fetch, first fetch the web
 * pages assistant.yaml lists into the corpus (never without it).
 */
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../src/config.ts';
import { CorpusError } from '../src/corpus/load-corpus.ts';
import { fetchListedSources, FetchSourcesError } from '../src/ingest/fetch-sources.ts';
import { IngestError, runIngest, type IngestResult } from '../src/ingest/run-ingest.ts';
import { watchCorpus } from '../src/ingest/watch-corpus.ts';

const json = process.argv.includes('--json');
const watching = process.argv.includes('--watch');
const force = process.argv.includes('--force');
const fetchPages = process.argv.includes('--fetch');

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // stderr: with --json, stdout carries the summary line only.
  if (fetchPages) await fetchListedSources(config.CORPUS_DIR, (line) => console.error(line));
  const bar =
    !json && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: 'embedding {bar} {value}/{total} chunks', stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
  let lastLine = 0;
  const onProgress = (done: number, total: number) => {
    if (bar) {
      if (done === 0) bar.start(total, 0);
      else bar.update(done);
    } else if (!json && total > 0 && (done === total || done - lastLine >= 1000)) {
      lastLine = done;
      console.error(`embedded ${done}/${total} chunks`);
    }
  };
  const onWarning = (message: string) => console.error(`warning: ${message}`);
  const report = (result: IngestResult) => {
    bar?.stop();
    lastLine = 0;
    printSummary(result);
  };

  if (!watching) {
    report(await runIngest({ config, onProgress, onWarning, force }));
    return;
  }
  const watch = watchCorpus({
    config,
    onProgress,
    onWarning,
    onIngested: report,
    onFailed: (error) => {
      bar?.stop();
      console.error(`error: ${errorLine(error)} (the index being served is unchanged)`);
    },
  });
  await watch.ready;
  if (!json) console.error(`watching ${config.CORPUS_DIR} for changes (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => void watch.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  if (!json) console.error('stopped watching');
}

function printSummary({ upToDate, ...summary }: IngestResult): void {
  if (json) {
    console.log(JSON.stringify(summary));
  } else if (upToDate) {
    console.log(`index is up to date (generation ${summary.generation})`);
  } else {
    console.log(
      `Indexed ${summary.documents} document(s), ${summary.sections} sections, ${summary.chunks} chunks ` +
        `(${summary.embedded} embedded, ${summary.reused} reused, ${summary.removed} removed) ` +
        `into generation ${summary.generation} in ${summary.ms} ms.`,
    );
  }
}

function errorLine(error: unknown): string {
  const known = error instanceof ConfigError || error instanceof CorpusError || error instanceof IngestError;
  const message = known ? (error as Error).message : `ingest failed: ${(error as Error)?.message ?? String(error)}`;
  return message.split('\n')[0]!;
}

main().catch((error: unknown) => {
  const lines = error instanceof FetchSourcesError ? error.lines : [errorLine(error)];
  for (const line of lines) console.error(`error: ${line}`);
  process.exit(1);
});
