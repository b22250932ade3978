/**
 * Node entry: build the index if it is missing or stale, build the web UI if needed, then
 * serve createApp on HOST:PORT, following new index generations as they are published.
 */
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { relative } from 'node:path';
import pino from 'pino';
import { ConfigError, loadConfig, resolveAnswerMode, type Config } from './config.ts';
import { CorpusError } from './corpus/load-corpus.ts';
import { queryEmbedderFactory } from './embeddings/query-embedder.ts';
import { GenerationWatcher } from './index/generation-watcher.ts';
import { indexIsCurrent } from './ingest/index-freshness.ts';
import { IngestError, runIngest } from './ingest/run-ingest.ts';
import { createAnswerDeps } from './rag/answer-deps.ts';
import { createApp } from './server/app.ts';
import type { Logger } from './server/logger.ts';
import { MemoryRateLimiter } from './server/rate-limiter.ts';
import { openLibsqlDatabase } from './storage/libsql.ts';
import { QuestionStore } from './storage/question-store.ts';
import { buildWeb, webAssetsStale, WEB_OUT_DIR } from '../web/build.ts';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger: Logger = pino({ level: config.LOG_LEVEL, redact: ['*.apiKey', '*.OPENAI_API_KEY', '*.authorization'] });

  if (!(await indexIsCurrent(config))) {
    logger.info({ corpus: config.CORPUS_DIR }, 'building the index (corpus changed or no index yet)');
    const summary = await runIngest({ config });
    logger.info({ ...summary }, 'index built');
  }
  if (await webAssetsStale()) await buildWeb();

  const watcher = new GenerationWatcher(config.INDEX_DIR, queryEmbedderFactory(config), logger);
  await watcher.refresh();
  if (!watcher.current()) throw new IngestError(`the index in ${config.INDEX_DIR} cannot be served (see the log above); run npm run ingest`);
  watcher.start();

  // Opened, migrated and pruned now; a database that fails is logged and answers go on.
  const store = new QuestionStore({
    connect: () => openLibsqlDatabase(config.DATABASE_URL),
    logger,
    recording: config.RECORD_QUESTIONS,
    retentionDays: config.RETENTION_DAYS,
    writes: 'queue',
  });
  await store.start();

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
    console.log(`Ask the Guide is running at http://${host}:${info.port}/ (${resolveAnswerMode(config)} answers)`);
  });

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


main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof CorpusError || error instanceof IngestError;
  console.error(`error: ${known ? (error as Error).message : `could not start: ${(error as Error)?.message ?? String(error)}`}`);
  process.exit(1);
});
