/**
 * Node entry: build the index if it is missing or stale, build the web UI if needed, then
 * serve createApp on HOST:PORT, following new index generations as they are published.
 */
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { relative } from 'node:path';
import { ConfigError, loadConfig, resolveAnswerMode, type Config } from './config.ts';
import { CorpusError } from './corpus/load-corpus.ts';
import { queryEmbedderFactory } from './embeddings/query-embedder.ts';
import { GenerationWatcher } from './index/generation-watcher.ts';
import { indexIsCurrent } from './ingest/index-freshness.ts';
import { IngestError, runIngest } from './ingest/run-ingest.ts';
import { createAnswerDeps } from './rag/answer-deps.ts';
import { createApp } from './server/app.ts';
import type { LoadedIndex } from './index/loaded-index.ts';
import { createNodeLogger, type LogFormat } from './node-logger.ts';
import { MemoryRateLimiter } from './server/rate-limiter.ts';
import { openDatabaseThread } from './storage/database-thread.ts';
import { QuestionStore } from './storage/question-store.ts';
import { buildWeb, webAssetsStale, WEB_OUT_DIR } from '../web/build.ts';

const SHUTDOWN_GRACE_MS = 10_000;
/** How long the server keeps an idle keep-alive socket: longer than clients do (Node's fetch 4 s, proxies up to 60 s). */
const KEEP_ALIVE_MS = 65_000;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createNodeLogger(config);

  if (!(await indexIsCurrent(config))) {
    logger.info({ corpus: config.CORPUS_DIR }, 'building the index (corpus changed or no index yet)');
    const summary = await runIngest({ config });
    logger.info({ ...summary }, 'index built');
  }
  if (await webAssetsStale()) await buildWeb();

  const watcher = new GenerationWatcher(config.INDEX_DIR, queryEmbedderFactory(config), logger);
  await watcher.refresh();
  if (!watcher.current())
    throw new IngestError(`the index in ${config.INDEX_DIR} cannot be served (see the log above); run npm run ingest`);
  watcher.start();

  // Opened, migrated and pruned now when recording; a database that fails is logged and
  // answers go on. With RECORD_QUESTIONS=false nothing is written, and the database (its
  // thread) is opened only when the dashboard first reads it.
  const store = new QuestionStore({
    connect: () => openDatabaseThread(config.DATABASE_URL),
    logger,
    recording: config.RECORD_QUESTIONS,
    retentionDays: config.RETENTION_DAYS,
    writes: 'queue',
  });
  if (config.RECORD_QUESTIONS) await store.start();

  const app = createApp({
    config,
    index: watcher,
    answer: await createAnswerDeps(config),
    logger,
    rateLimiter: new MemoryRateLimiter(config.RATE_LIMIT_PER_MINUTE),
    clientAddress: (c) => getConnInfo(c).remote.address ?? 'unknown',
    store,
    assets: serveStatic({ root: relative(process.cwd(), WEB_OUT_DIR) || '.' }),
  });

  const server = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, (info) => {
    const host = info.address.includes(':') ? `[${info.address}]` : info.address;
    announce(`http://${host}:${info.port}/`, config, watcher.current(), logger.format);
  });
  // An idle keep-alive socket is closed by the client first: a server that closes it at the
  // moment a busy client reuses it fails that request ("fetch failed"). Clients (Node's fetch,
  // browsers, proxies) keep idle sockets for seconds; the server keeps them well past that.
  const sockets = server as unknown as { keepAliveTimeout: number; headersTimeout: number };
  sockets.keepAliveTimeout = KEEP_ALIVE_MS;
  sockets.headersTimeout = KEEP_ALIVE_MS + 1000;

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    watcher.stop();
    // Stop accepting, close idle keep-alive sockets, let in-flight requests finish.
    server.close(() => void store.flush().finally(() => process.exit(0)));
    (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    setTimeout(() => {
      logger.warn({}, 'requests still running after the grace period; exiting');
      process.exit(0);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/**
 * The few plain lines that say where the server is and what it serves. On a terminal they go
 * to stdout with the readable log; with JSON logs they go to stderr, so that stdout carries
 * JSON lines only.
 */
function announce(url: string, config: Config, index: LoadedIndex | null, format: LogFormat): void {
  const mode = resolveAnswerMode(config);
  // The origin only: a base URL may carry credentials in its user-info or path.
  const server = config.OPENAI_BASE_URL ? new URL(config.OPENAI_BASE_URL).origin : 'api.openai.com';
  const answers =
    mode === 'llm'
      ? `${mode}, ${config.CHAT_MODEL} on ${server}`
      : `${mode} (the guide's own sentences; set OPENAI_BASE_URL or OPENAI_API_KEY for a model server)`;
  const lines = [`Ask the Guide is running at ${url} (${mode} answers)`, `  answers: ${answers}`];
  if (index) {
    const { counts, embedder } = index.manifest;
    const embeddings = embedder.model ?? 'local';
    const documents = `${counts.documents} document${counts.documents === 1 ? '' : 's'}`;
    lines.push(`  index:   ${config.INDEX_DIR}, ${documents}, ${counts.chunks} chunks, ${embeddings} embeddings`);
  }
  if (format === 'pretty') lines.push('  Ctrl+C stops it. One line per request follows.');
  else lines.push('  request log: JSON lines on stdout');
  (format === 'pretty' ? process.stdout : process.stderr).write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof CorpusError || error instanceof IngestError;
  console.error(
    `error: ${known ? (error as Error).message : `could not start: ${(error as Error)?.message ?? String(error)}`}`,
  );
  process.exit(1);
});
