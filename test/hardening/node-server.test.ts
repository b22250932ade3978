import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { Socket } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/ingest/run-ingest.ts';
import type { AskResponse, Citation } from '../../src/rag/types.ts';
import { askRequest } from '../helpers/ask-request.ts';
import { copyCorpus } from '../helpers/corpus-copy.ts';
import { copyGeneration, editManifest, pointTo, truncateKeepingManifest } from '../helpers/index-files.ts';
import { rawExchange } from '../helpers/raw-http.ts';
import { serverUrl } from '../helpers/server-url.ts';
import { makeTempDir, realCorpusDir, removeTempDir, repoRoot } from '../helpers/temp-dir.ts';
import { parseSse, sleep, TEST_API_KEY } from './support.ts';

/**
 * The real Node server (src/node.ts in a child process) on loopback:
 *  1. 50 clients ask for 10 s while `scripts/ingest.ts` runs twice on a changed corpus: no
 *     request fails, every response's citations come from one generation, and the section
 *     the first change added is answerable without a restart;
 *  2. generations that fail verification are refused and logged while the old one serves;
 *  3. an idle keep-alive connection stays open past Node's 5 s default, so a client reusing
 *     it after a pause is not refused mid-request;
 *  4. SIGTERM with 20 requests in flight: all of them complete, and the process exits 0
 *     within 10 s.
 *
 * Telling generations apart: each edition of the corpus carries its number in the document's
 * source_url (`?rev=N`, which every citation repeats as `sourceUrl`), edition 2 adds a
 * section and edition 3 renames one. A response mixing editions would show two revs, or a
 * section in a rev that does not have it.
 */

const DOC = 'transition-product-management-background.md';
const NEW_SECTION = 'Moving from Teaching to Product Management';
const OLD_HEADING = 'Quick-fire Round: Transferable Skills';
const RENAMED_HEADING = 'Quick-fire Round: Transferable Skills for Career Changers';
const QUESTIONS = [
  'How do I move from sales into product?',
  'How can an engineer become a product manager?',
  'What skills transfer from marketing to product management?',
  'How do I transition from project manager to product manager?',
  'Which transferable skills help in the quick-fire round of backgrounds?',
  'How do designers move into product management?',
  'Can a consultant become a product manager?',
  'How can a teacher move into product management?',
  'What are the two main ways to get a product management job?',
];

let root: string;
let corpus: string;
let indexDir: string;
let original: string;
let server: RunningChild;

/** Write edition `rev` of the corpus document. */
async function writeEdition(rev: number): Promise<void> {
  let text = original.replace(/^(source_url: .*)$/m, `$1?rev=${rev}`);
  if (rev >= 2) {
    text = text.replace(
      `## ${OLD_HEADING}`,
      `## ${NEW_SECTION}\n\nTeachers who move into product management bring classroom facilitation, curriculum planning and patient explanation to the role. ` +
        'A teacher already runs discovery every day: reading a room of thirty learners, spotting who is confused, and adapting the lesson plan on the fly, ' +
        'which is how a product manager adapts a roadmap to user feedback.\n\n' +
        'Start with product work at an education technology company, where lesson planning experience is valued from the first day.\n\n' +
        `## ${OLD_HEADING}`,
    );
  }
  if (rev >= 3) text = text.replace(`## ${OLD_HEADING}`, `## ${RENAMED_HEADING}`);
  await writeFile(join(corpus, DOC), text);
}

/** Which editions have a section. */
function editionsWith(section: string): number[] {
  if (section === NEW_SECTION) return [2, 3];
  if (section === OLD_HEADING) return [1, 2];
  if (section === RENAMED_HEADING) return [3];
  return [1, 2, 3];
}

const revOf = (c: Citation) => Number(/[?&]rev=(\d+)/.exec(c.sourceUrl)?.[1] ?? NaN);

/** Problems with one response's citations: more than one edition, or a section its edition lacks. */
function generationProblems(citations: Citation[]): string[] {
  const revs = new Set(citations.map(revOf));
  const problems: string[] = [];
  if (revs.size > 1) problems.push(`citations from editions ${[...revs].join(', ')}`);
  for (const c of citations)
    if (!editionsWith(c.section).includes(revOf(c)))
      problems.push(`section "${c.section}" cited from edition ${revOf(c)}`);
  return problems;
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // A clean environment: nothing from the developer's shell (keys, base URLs) leaks in.
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    CORPUS_DIR: corpus,
    INDEX_DIR: indexDir,
    ...extra,
  };
}

interface RunningChild {
  proc: ChildProcess;
  url: string;
  port: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

async function startServer(): Promise<RunningChild> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/node.ts'], {
    cwd: repoRoot,
    env: childEnv({
      HOST: '127.0.0.1',
      PORT: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      ANSWERS: 'extractive',
      OPENAI_API_KEY: TEST_API_KEY,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = serverUrl(proc, 30_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  try {
    const url = await started.url;
    return { proc, url, port: Number(new URL(url).port), output: started.output, exited };
  } catch (error) {
    proc.kill();
    throw error;
  }
}

/** Run `scripts/ingest.ts --json` in a child process, as `npm run ingest` does; the summary it prints. */
function runIngestCli(): Promise<{ generation: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', '--json'], {
      cwd: repoRoot,
      env: childEnv({}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    proc.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`ingest exited ${code}: ${out}`));
      const line = out
        .trim()
        .split('\n')
        .find((l) => l.startsWith('{"documents"'));
      resolve(JSON.parse(line ?? '{}') as { generation: string });
    });
  });
}

async function health(): Promise<string> {
  const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(10_000) });
  return ((await res.json()) as { index: { generation: string } }).index.generation;
}

async function waitForGeneration(generation: string, ms = 25_000): Promise<void> {
  const deadline = performance.now() + ms;
  while ((await health()) !== generation) {
    if (performance.now() > deadline)
      throw new Error(
        `server never served ${generation}; it serves ${await health()}:\n${server.output().slice(-3000)}`,
      );
    await sleep(100);
  }
}

interface Outcome {
  ok: boolean;
  problem?: string;
  rev?: number;
}

/** One /ask, checked completely: 200, the whole JSON body or SSE stream through `done`. */
async function askOnce(question: string, stream: boolean): Promise<Outcome & { response?: AskResponse }> {
  try {
    const res = await fetch(`${server.url}/ask`, {
      ...askRequest({ question }, stream),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (res.status !== 200) return { ok: false, problem: `${res.status} ${text.slice(0, 200)}` };
    let response: AskResponse;
    let citations: Citation[];
    if (stream) {
      const events = parseSse(text);
      const names = events.map((e) => e.event);
      if (names[0] !== 'citations' || names.at(-1) !== 'done' || !names.includes('delta') || names.includes('error'))
        return { ok: false, problem: `SSE events ${names.join(',')}` };
      response = JSON.parse(events.at(-1)!.data) as AskResponse;
      const deltas = events
        .filter((e) => e.event === 'delta')
        .map((e) => (JSON.parse(e.data) as { text: string }).text)
        .join('');
      if (deltas.replace(/\s+/g, ' ').trim() !== response.answer.replace(/\s+/g, ' ').trim())
        return { ok: false, problem: 'deltas do not add up to the answer' };
      citations = [...(JSON.parse(events[0]!.data) as Citation[]), ...response.citations];
    } else {
      response = JSON.parse(text) as AskResponse;
      citations = response.citations;
    }
    if (typeof response.answer !== 'string' || !response.answer) return { ok: false, problem: 'empty answer' };
    const problems = generationProblems(citations);
    if (problems.length) return { ok: false, problem: problems.join('; ') };
    return { ok: true, rev: citations.length ? revOf(citations[0]!) : undefined, response };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause ? ` (${cause.code ?? cause.message})` : '';
    return { ok: false, problem: `${(error as Error).name}: ${(error as Error).message}${why}` };
  }
}

beforeAll(async () => {
  root = await makeTempDir('atg-node-server-');
  const copy = await copyCorpus(root, realCorpusDir);
  corpus = copy.corpusDir;
  indexDir = copy.indexDir;
  original = await readFile(join(corpus, DOC), 'utf8');
  await writeEdition(1);
  await runIngest({ config: copy.config });
  server = await startServer();
}, 60_000);

afterAll(async () => {
  if (server && server.proc.exitCode === null) server.proc.kill('SIGKILL');
  await removeTempDir(root);
});

describe('the Node server under load', () => {
  it('re-index twice while 50 clients ask for 10 s: nothing fails, no response mixes generations, the new section is answerable', {
    timeout: 90_000,
  }, async () => {
    const firstGeneration = await health();
    const outcomes: Outcome[] = [];
    const started = performance.now();
    let stop = false;
    const clients = Array.from({ length: 50 }, async (_, id) => {
      for (let i = id; !stop; i += 50) outcomes.push(await askOnce(QUESTIONS[i % QUESTIONS.length]!, i % 2 === 0));
    });

    // Two ingests on a changed corpus while the clients ask, each waited for until served
    // (under this load a swap can take seconds: the loader shares the event loop with 50
    // clients' requests).
    let second: { generation: string };
    let third: { generation: string };
    try {
      await sleep(500);
      await writeEdition(2);
      second = await runIngestCli();
      await waitForGeneration(second.generation);
      await writeEdition(3);
      third = await runIngestCli();
      await waitForGeneration(third.generation);
      await sleep(Math.max(1000, 10_000 - (performance.now() - started)));
    } finally {
      stop = true;
      await Promise.all(clients);
    }

    const failures = outcomes.filter((o) => !o.ok).map((o) => o.problem);
    expect(failures.slice(0, 10), `${failures.length} of ${outcomes.length} requests failed`).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(100);
    // Every edition answered some of them: the swaps happened while under load.
    const revs = new Set(outcomes.map((o) => o.rev).filter((r) => r !== undefined));
    expect([...revs].sort()).toEqual([1, 2, 3]);
    expect(new Set([firstGeneration, second.generation, third.generation]).size).toBe(3);

    // The section edition 2 added is answerable now, without a restart.
    for (const stream of [false, true]) {
      const teaching = await askOnce('How can a teacher move into product management?', stream);
      expect(teaching.ok, teaching.problem).toBe(true);
      expect(teaching.response!.grounded).toBe(true);
      expect(teaching.response!.citations.map((c) => c.section)).toContain(NEW_SECTION);
      expect(teaching.rev).toBe(3);
    }
    expect(await health()).toBe(third.generation);
    // Nothing went wrong on the server's side either.
    expect(server.output()).not.toMatch(/"level":50|unhandled error|stream failed/);
  });

  it('refuses generations that fail verification, logs why, and keeps serving (and naming) the old one', {
    timeout: 30_000,
  }, async () => {
    const good = await health();
    const breakages: Array<[string, (dir: string) => Promise<void>, RegExp]> = [
      ['truncated-hnsw', async (dir) => truncateKeepingManifest(dir, 'vectors.hnsw', 4096), /vector index unreadable/],
      [
        'sha-mismatch',
        async (dir) => {
          const bytes = await readFile(join(dir, 'chunks.json'));
          bytes[100] = bytes[100] === 0x61 ? 0x62 : 0x61;
          await writeFile(join(dir, 'chunks.json'), bytes);
        },
        /sha256/,
      ],
      [
        'format-version',
        async (dir) => {
          await editManifest(dir, (manifest) => ({ ...manifest, formatVersion: 99 }));
        },
        /index format 99/,
      ],
    ];
    for (const [name, breakIt, reason] of breakages) {
      const bad = `${good}-bad-${name}`;
      await breakIt(await copyGeneration(indexDir, good, bad));
      await pointTo(indexDir, bad);

      const deadline = performance.now() + 8000;
      let logged: Record<string, unknown> | undefined;
      while (!logged && performance.now() < deadline) {
        await sleep(100);
        logged = server
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>)
          .find((r) => r.msg === 'refused index generation' && r.generation === bad);
      }
      expect(logged, `no refusal logged for ${name}:\n${server.output().slice(-2000)}`).toBeDefined();
      expect(String(logged!.reason)).toMatch(reason);
      expect(logged!.serving).toBe(good);
      expect(await health()).toBe(good);
      const answer = await askOnce('How do I move from sales into product?', true);
      expect(answer.ok, answer.problem).toBe(true);
    }
    // Point back at the good generation for what follows.
    await pointTo(indexDir, good);
    expect(server.output()).not.toContain(TEST_API_KEY);
  });

  it('keeps an idle keep-alive connection open past the 5 s a Node server closes it at by default', {
    timeout: 30_000,
  }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets: Socket[] = [];
    const get = () =>
      new Promise<number>((resolve, reject) => {
        const request = http.get(`${server.url}/health`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.on('socket', (socket) => sockets.push(socket));
        request.on('error', reject);
      });
    try {
      expect(await get()).toBe(200);
      const first = sockets[0]!;
      let closedByServer = false;
      first.on('close', () => {
        closedByServer = true;
      });
      await sleep(6000);
      expect(closedByServer).toBe(false);
      expect(await get()).toBe(200);
      expect(sockets[1]).toBe(first);
    } finally {
      agent.destroy();
    }
  });

  it('SIGTERM with 20 requests in flight: all complete with 200, new connections are refused, exit 0 within 10 s', {
    timeout: 30_000,
  }, async () => {
    // Each request sends its headers and half its body, so the server is mid-request when
    // the signal arrives; the other half follows after it.
    let sendTheRest!: () => void;
    const theRest = new Promise<void>((resolve) => (sendTheRest = resolve));
    const inFlight = Array.from({ length: 20 }, (_, i) => {
      const body = JSON.stringify({ question: QUESTIONS[i % QUESTIONS.length] });
      const half = Math.floor(body.length / 2);
      let opened!: () => void;
      const halfSent = new Promise<void>((resolve) => (opened = resolve));
      const response = rawExchange(server.port, async (write) => {
        await write(
          `POST /ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${i % 2 ? 'Accept: text/event-stream\r\n' : ''}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`,
        );
        opened();
        await theRest;
        await write(body.slice(half));
      });
      return { halfSent, response };
    });
    await Promise.all(inFlight.map((r) => r.halfSent));
    await sleep(300); // the server has read the headers of every request

    const signalledAt = performance.now();
    server.proc.kill('SIGTERM');
    await sleep(300);
    // The listening socket is closed: a new client is turned away.
    const refused = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(2000) }).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);

    sendTheRest();
    const responses = await Promise.all(inFlight.map((r) => r.response));
    responses.forEach((res, i) => {
      expect(res.status, `request ${i}: ${res.body.slice(0, 200)}`).toBe(200);
      if (i % 2) expect(parseSse(res.body).at(-1)?.event).toBe('done');
      else expect((JSON.parse(res.body) as AskResponse).answer).toBeTruthy();
    });

    const exit = await Promise.race([server.exited, sleep(10_000).then(() => null)]);
    expect(exit, 'the server did not exit within 10 s of SIGTERM').not.toBeNull();
    expect(exit!.code).toBe(0);
    expect(exit!.at - signalledAt).toBeLessThan(10_000);
    expect(server.output()).not.toContain(TEST_API_KEY);
  });
});
