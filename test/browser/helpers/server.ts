import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serverUrl } from '../../helpers/server-url.ts';

/** The repository root, from this file's location (never a hard-coded path). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface RunningServer {
  url: string;
  /** The server's DATABASE_URL (recorded questions and feedback). */
  databaseUrl: string;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Start the real Node server (src/node.ts) on loopback with the real corpus: it builds its
 * index into a fresh temp folder and the web UI if needed. Extractive answers, no model
 * server, no rate limit unless `env` says otherwise.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const indexDir = await mkdtemp(join(tmpdir(), 'atg-browser-index-'));
  // Recorded questions go to a fresh database beside it, never to the checkout's data/.
  const dataDir = await mkdtemp(join(tmpdir(), 'atg-browser-data-'));
  const databaseUrl = env.DATABASE_URL ?? pathToFileURL(join(dataDir, 'questions.db')).href;
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  // Never reach a model server from a browser test, whatever the developer's shell has set.
  delete childEnv.OPENAI_API_KEY;
  delete childEnv.OPENAI_BASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/node.ts'], {
    cwd: repoRoot,
    env: {
      ...childEnv,
      PORT: '0',
      HOST: '127.0.0.1',
      INDEX_DIR: indexDir,
      CORPUS_DIR: 'corpus',
      ANSWERS: 'extractive',
      EMBEDDINGS: 'local',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = serverUrl(child, 45_000);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(indexDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    return { url: await started.url, databaseUrl, output: started.output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
