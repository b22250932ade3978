/**
 * Cloudflare Workers entry: the index generation bundled at build time (npm run build:worker),
 * searched by an exact scan; the web UI from the static-assets binding; the same createApp.
 * Nothing here may import Node-only code (hnswlib-node, node:fs, pino): wrangler bundles
 * everything this file reaches.
 */
import type { ExecutionContext, MiddlewareHandler } from 'hono';
import bundle from '../dist/worker/index-data.js';
import { loadConfig, type Config } from './config.ts';
import { queryEmbedderFactory } from './embeddings/query-embedder.ts';
import { bundledIndex } from './index/bundled-index.ts';
import type { LoadedIndex } from './index/loaded-index.ts';
import { createAnswerDeps } from './rag/answer-deps.ts';
import { createApp } from './server/app.ts';
import { consoleJsonLogger, type Logger } from './logger.ts';
import { workerRateLimiter, type RateLimitBinding } from './server/worker-rate-limiter.ts';
import { d1Database, type D1Binding } from './storage/d1.ts';
import { QuestionStore } from './storage/question-store.ts';

/** The static-assets binding (`[assets] binding = "ASSETS"`). */
export interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

/** Bindings from wrangler.toml: plain vars and secrets (strings), the assets and the rate limiter. */
export interface WorkerEnv {
  ASSETS?: AssetsBinding;
  ASK_RATE_LIMITER?: RateLimitBinding;
  /** Recorded questions and feedback (`[[d1_databases]]`); without it nothing is recorded. */
  DB?: D1Binding;
  [name: string]: unknown;
}

type App = ReturnType<typeof createApp>;

/**
 * One app per isolate and configuration. `env` is fixed for a deployed version, but it is
 * only available inside a request (and random values may not be made at start-up), so the
 * app is built on the first request and rebuilt only if the configuration differs.
 */
let cached: { key: string; app: Promise<App | null> } | null = null;

export default {
  async fetch(request: Request, env: WorkerEnv, ctx?: ExecutionContext): Promise<Response> {
    const vars = stringVars(env);
    const key = JSON.stringify(vars);
    if (cached?.key !== key) cached = { key, app: buildApp(env, vars) };
    const app = await cached.app;
    if (!app) return configErrorResponse();
    return app.fetch(request, env, ctx);
  },
};

async function buildApp(env: WorkerEnv, vars: Record<string, string>): Promise<App | null> {
  let config: Config;
  try {
    config = loadConfig(vars);
  } catch (error) {
    // The message names the variable; it goes to the log (wrangler tail), not to clients.
    console.error(JSON.stringify({ level: 'error', msg: `invalid configuration: ${(error as Error).message}` }));
    return null;
  }
  const logger = consoleJsonLogger(config.LOG_LEVEL);
  const index = loadBundledIndex(config, logger);
  return createApp({
    config,
    index: { current: () => index },
    answer: await createAnswerDeps(config),
    logger,
    rateLimiter: workerRateLimiter(config.RATE_LIMIT_PER_MINUTE, env.ASK_RATE_LIMITER),
    clientAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    store: env.DB ? workerStore(env.DB, config, logger) : undefined,
    assets: env.ASSETS ? serveAssets(env.ASSETS) : undefined,
  });
}

/** The bundled generation, or null (503 index_unavailable) when this configuration cannot query it. */
function loadBundledIndex(config: Config, logger: Logger): LoadedIndex | null {
  try {
    return bundledIndex(bundle, queryEmbedderFactory(config));
  } catch (error) {
    logger.error({ err: (error as Error).message }, 'the bundled index cannot be served');
    return null;
  }
}

/** Migrations are applied by `wrangler d1 migrations apply`, not here (see docs/admin.md). */
function workerStore(binding: D1Binding, config: Config, logger: Logger): QuestionStore {
  const db = d1Database(binding);
  return new QuestionStore({
    connect: async () => db,
    logger,
    recording: config.RECORD_QUESTIONS,
    retentionDays: config.RETENTION_DAYS,
    writes: 'waitUntil',
  });
}

/**
 * The built UI from the assets binding. wrangler.toml sends every request to the Worker
 * first, so pages get the same security headers as on Node; paths with no file fall
 * through to the app (and its JSON 404).
 */
function serveAssets(assets: AssetsBinding): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const response = await assets.fetch(c.req.raw);
    if (response.status === 404) return next();
    // A fetched response's headers are immutable; the header middleware needs to add to them.
    return new Response(response.body, response);
  };
}

/** Vars and secrets are strings; wrangler turns non-string [vars] (60, true) into JSON values. */
function stringVars(env: WorkerEnv): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string') vars[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') vars[name] = String(value);
  }
  return vars;
}

function configErrorResponse(): Response {
  return Response.json(
    { error: { code: 'internal_error', message: 'The server is misconfigured; see its log.' } },
    { status: 500 },
  );
}
