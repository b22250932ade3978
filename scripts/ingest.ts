/**
 * npm run ingest [-- --json] [-- --fetch]
 * Chunk and embed the corpus into a new index generation and make it current. With --fetch,
 * first fetch the web pages assistant.yaml lists into the corpus (never without it).
 */
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from '../src/config.ts';
import { CorpusError } from '../src/corpus/load-corpus.ts';
import { fetchListedSources, FetchSourcesError } from '../src/ingest/fetch-sources.ts';
import { IngestError, runIngest } from '../src/ingest/run-ingest.ts';

const json = process.argv.includes('--json');
const fetchPages = process.argv.includes('--fetch');

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // stderr: with --json, stdout carries the summary line only.
  if (fetchPages) await fetchListedSources(config.CORPUS_DIR, (line) => console.error(line));
  const bar =
    !json && process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: 'embedding {bar} {value}/{total} chunks', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
      : null;
  let lastLine = 0;
  const summary = await runIngest({
    config,
    onProgress(done, total) {
      if (bar) {
        if (done === 0) bar.start(total, 0);
        else bar.update(done);
      } else if (!json && total > 0 && (done === total || done - lastLine >= 1000)) {
        lastLine = done;
        console.error(`embedded ${done}/${total} chunks`);
      }
    },
  });
  bar?.stop();
  if (json) {
    console.log(JSON.stringify(summary));
  } else {
    console.log(
      `Indexed ${summary.documents} document(s), ${summary.sections} sections, ${summary.chunks} chunks ` +
        `(${summary.embedded} embedded, ${summary.reused} reused, ${summary.removed} removed) ` +
        `into generation ${summary.generation} in ${summary.ms} ms.`,
    );
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof CorpusError || error instanceof IngestError;
  const message = known ? (error as Error).message : `ingest failed: ${(error as Error)?.message ?? String(error)}`;
  const lines = error instanceof FetchSourcesError ? error.lines : [message.split('\n')[0]];
  for (const line of lines) console.error(`error: ${line}`);
  process.exit(1);
});
