import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { control, OPENAI_WORKER_API_KEY, OPENAI_WORKER_BASE_URL, outbound } from './test/worker/openai-outbound.ts';

/**
 * Tests that run inside workerd (Cloudflare's runtime) against the real Worker entry and
 * wrangler.toml. Run `npm run build:worker` first (npm test and test:worker do): the Worker
 * imports the index it exports. Two projects, because configuration is per Worker:
 * `workerd` with wrangler.toml as is (extractive answers), `workerd-llm` with a model server
 * configured whose outbound requests are answered by a fake in Node.
 */

/** Never phone home or write to $HOME, even when this config is run directly (see STACK.md). */
function keepWranglerLocal(): void {
  process.env.WRANGLER_SEND_METRICS ??= 'false';
  process.env.WRANGLER_SEND_ERROR_REPORTS ??= 'false';
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
  process.env.XDG_CONFIG_HOME ??= fileURLToPath(new URL('./.wrangler/config', import.meta.url));
}

const wrangler = { configPath: './wrangler.toml' };
const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // In Node: the Node pipeline's answers (hnswlib, from disk) and the sections' source text.
  globalSetup: ['test/worker/node-reference.setup.ts'],
  // In workerd, before each test file: the D1 tables from migrations/ (as wrangler would apply them).
  setupFiles: ['test/worker/d1-migrations.setup.ts'],
  // Pre-bundle dependencies with Vite, as wrangler's esbuild does for a deploy: a few large
  // modules load far faster in workerd than hundreds of small ones, and xss is CommonJS whose
  // named exports the pool's own loader does not expose.
  deps: {
    optimizer: {
      ssr: {
        enabled: true,
        include: [
          'xss',
          'hono',
          '@hono/zod-openapi',
          'zod',
          'minisearch',
          'marked',
          'stemmer',
          'github-slugger',
          '@langchain/core/messages',
          '@langchain/core/embeddings',
          '@langchain/openai',
        ],
      },
    },
  },
};

export default defineConfig(async () => {
  keepWranglerLocal();
  // Imported only now: wrangler fixes its config and log folders when it is first loaded.
  const { cloudflareTest, readD1Migrations } = await import('@cloudflare/vitest-pool-workers');
  const TEST_MIGRATIONS = await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url)));
  return {
    test: {
      // The Worker's request log (console JSON lines) is printed only for a test that fails; a
      // reporter option, so it is set here for both projects.
      silent: 'passed-only' as const,
      projects: [
        {
          plugins: [
            cloudflareTest({ wrangler, miniflare: { bindings: { TEST_MIGRATIONS }, outboundService: refuseOutbound } }),
          ],
          test: {
            ...shared,
            name: 'workerd',
            include: ['test/worker/**/*.test.ts'],
            exclude: ['test/worker/llm.test.ts'],
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler,
              miniflare: {
                bindings: {
                  OPENAI_API_KEY: OPENAI_WORKER_API_KEY,
                  OPENAI_BASE_URL: OPENAI_WORKER_BASE_URL,
                  TEST_MIGRATIONS,
                },
                outboundService: outbound,
                serviceBindings: { OPENAI_CONTROL: control },
              },
            }),
          ],
          test: { ...shared, name: 'workerd-llm', include: ['test/worker/llm.test.ts'] },
        },
      ],
    },
  };
});

function refuseOutbound(request: Request): Response {
  return new Response(`unexpected outbound request: ${request.method} ${request.url}`, { status: 599 });
}
