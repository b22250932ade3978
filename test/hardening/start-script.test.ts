import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { askRequest } from '../helpers/ask-request.ts';
import { serverUrl } from '../helpers/server-url.ts';
import { repoRoot, useTempDirs } from '../helpers/temp-dir.ts';

/**
 * `npm start` (scripts/start.mjs) runs the server as one esbuild bundle in dist/server, and
 * the ingest it starts with builds the HNSW graph of a corpus of 2,000 chunks or more on a
 * worker thread, loaded from next to the bundle. So: a fresh index of 2,100 chunks through
 * the real start script, then an answer from it, then a clean SIGTERM. Its stdout is a pipe,
 * so its log is JSON lines, and only those: the start-up lines go to stderr.
 */
const tempDir = useTempDirs('atg-start-');

async function generatedCorpus(documents: number, sections: number): Promise<string> {
  const dir = await tempDir();
  const words = 'product manager sales engineer design marketing customer roadmap team skills career learning'.split(
    ' ',
  );
  for (let d = 0; d < documents; d++) {
    let text = `# Guide ${d}\n\n`;
    for (let s = 0; s < sections; s++) {
      const sentence = Array.from({ length: 14 }, (_, i) => words[(i * 7 + s * 3 + d) % words.length]).join(' ');
      text += `## Part ${s} of guide ${d}\n\n${sentence}. ${sentence}.\n\n`;
    }
    await writeFile(join(dir, `guide-${d}.md`), text);
  }
  return dir;
}

describe('npm start (scripts/start.mjs)', () => {
  it('builds a 2,100-chunk index with its HNSW worker from the bundle, answers, and exits 0 on SIGTERM', async () => {
    const corpus = await generatedCorpus(42, 50);
    const root = await tempDir();
    await mkdir(join(root, 'index'));
    const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs')], {
      cwd: repoRoot,
      // A clean environment: nothing from the developer's shell (keys, base URLs, EMBEDDINGS) leaks in.
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TMPDIR: process.env.TMPDIR,
        CORPUS_DIR: corpus,
        INDEX_DIR: join(root, 'index'),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        EMBEDDINGS: 'local',
        ANSWERS: 'extractive',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Listened for from the start, so a server that dies early is seen, not waited for.
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await serverUrl(child, 60_000).url;
      const health = (await (await fetch(`${url}/health`)).json()) as { index: { chunks: number } };
      expect(health.index.chunks).toBe(2100);
      const ask = await fetch(
        `${url}/ask`,
        askRequest({ question: 'what does a product manager do with the roadmap?' }),
      );
      expect(ask.status).toBe(200);
      expect(((await ask.json()) as { citations: unknown[] }).citations.length).toBeGreaterThan(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/running at http:\/\/127\.0\.0\.1:\d+\/ \(extractive answers\)\n\s+answers: extractive/);
    expect(stderr).toMatch(/index: .*, 42 documents, 2100 chunks, local embeddings/);
    const records = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const askRecord = records.find((r) => r.route === '/ask');
    expect(askRecord).toMatchObject({
      level: 30,
      method: 'POST',
      status: 200,
      mode: 'extractive',
      support: 'answered',
    });
    // Health checks are logged at debug, below this LOG_LEVEL.
    expect(records.filter((r) => r.route === '/health')).toEqual([]);
  }, 90_000);
});
