/**
 * npm run bench [-- --json] [-- --duration 12 --warmup 2 --rounds 6 --connections 50]
 *               [-- --rewarm 0.5 --replicas 3]
 *               [-- --startup-runs 5] [-- --log-level warn] [-- --profile DIR] [-- --skip-startup]
 *               [-- --control]
 *
 * HTTP benchmark of /ask (embedded default: local embedder, extractive answers) in two
 * configurations, each its own server process, both checked against every target:
 *   - /ask UNCACHED: ANSWER_CACHE_ENTRIES=0, so every request runs the whole pipeline
 *     (retrieval + extractive answer). The honest worst case.
 *   - /ask CACHED: the default answer cache (ANSWER_CACHE_ENTRIES unset, 1000 entries) under
 *     the same rotating questions, so after its first request each question is served from
 *     the cache. The best case: a real mix of questions lands between the two.
 *   - /ask CACHED + RECORDING: the same, with RECORD_QUESTIONS=true (the default) writing every
 *     question to a SQLite file; the two above run with RECORD_QUESTIONS=false, so the cached
 *     pair measures what recording costs where it weighs most (target: under 5 %). Each
 *     server gets its own database file in a temporary folder.
 *
 * 1. Builds an index of CORPUS_DIR=corpus into a temporary INDEX_DIR (scripts/ingest.ts --json).
 * 2. Starts, as child processes, each on a free loopback port:
 *    - the two /ask servers the way `npm start` does (`node --enable-source-maps
 *      scripts/start.mjs`: bundles src/node.ts into dist/server/node.mjs when stale, then runs
 *      it), HOST=127.0.0.1, rate limiting off, ANSWERS=extractive, EMBEDDINGS=local; one after
 *      the other, so only the first may rebuild the bundle or the web assets;
 *    - a bare Hono app with one zod-validated POST route (scripts/bench-bare-server.ts),
 *      bundled by esbuild the same way (dependencies external, in dist/bench/) and run as plain
 *      JS with the same flags, so neither side pays for tsx.
 * 3. Checks that every question answers 200 on both /ask servers and that the cached server
 *    answers byte for byte what the uncached one does (also on a repeat, from its cache). Then
 *    loads each server with autocannon (in this process), 50 keep-alive connections: a warm-up
 *    each, then measured rounds alternating bare → /ask uncached → /v1 cached → /ask cached →
 *    /ask cached + recording (→ /v1 on that process, unmeasured), every other round in
 *    reverse, so that a noisy neighbour on a shared machine, and a server's place in the round,
 *    hit all alike, and the pairs compared round by round are measured back to back. Each
 *    measured load follows --rewarm seconds (default 0.5) of unmeasured load on the same
 *    server. The two cached configurations compared for recording each run as --replicas
 *    processes (default 3), round i on replica i % replicas, and do the same work (the /v1
 *    load included), so that they differ in recording alone. After each load the
 *    bench waits for the server to go idle, counting that CPU in (the recording server's
 *    database thread may still be writing). /ask requests rotate over 8 questions
 *    of eval/questions.jsonl (7 the guide covers, 1 it does not), JSON responses.
 *    Reported per server: req/s (2xx only), the ratio to bare, p50/p90/p99 latency (exact, from
 *    every response, not autocannon's whole-millisecond histogram), server CPU time per request
 *    (from /proc, insensitive to how busy the machine is), and the share of it on the thread
 *    that answers (the database thread and V8's helpers left out), and RSS: peak VmRSS sampled
 *    during the load and VmHWM after it.
 *    Also /v1/chat/completions (non-streaming, the same questions as OpenAI messages) on the
 *    CACHED server itself, measured in each round next to /ask cached: the same process,
 *    cache and answers, so the difference is what the OpenAI layer costs (parsing the
 *    messages, the Sources list, the completion object). Target: under 10 % extra cost, in
 *    req/s and in server CPU per request.
 * 4. Time from start to first answer: `node --enable-source-maps scripts/start.mjs` spawned
 *    fresh with the index present, the web assets built and the default configuration, POST
 *    /ask polled every 10 ms until the first 200; wall time from spawn. One untimed warm start
 *    first (it would rebuild dist/server if the sources changed), then median and max of
 *    --startup-runs (npm's own start-up, about 0.2 s, comes on top with `npm start`). The
 *    answer cache is empty at start, so this one figure holds for both configurations.
 *
 * The costs of recording and of /v1 are each also given as the median, and the range, of the
 * paired rounds (the two measured within the same round). `--control` runs
 * the recording server with recording off: its "recording cost" is then the bench's own noise,
 * on this machine, at that time.
 *
 * On Linux with taskset and two cores or more, the load generator runs pinned to the first core
 * and the servers to the last (see PINNING; `--no-pin` leaves it to the scheduler). The
 * machine's load average, and the CPU time other processes took during the measured rounds
 * (from /proc/stat), are reported alongside. `--profile DIR` runs both /ask servers with
 * `--cpu-prof` and prints where their CPU time went (bundle positions mapped back to src/ via
 * dist/server/node.mjs.map). The defaults (2 s warm-up, 6 rounds × 2 s per server, 5 start-up
 * runs) keep a run to a few minutes. A benchmark, not a test: it exits 0 whatever the figures
 * (1 only if the harness itself could not run). With --json the whole report goes to stdout
 * as JSON; progress goes to stderr.
 */
import { cpuMs, ticksToMs } from './proc-stat.ts';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { readEvalSet, type EvalQuestion } from '../src/eval/eval-set.ts';
import { stagingFilesOf } from '../src/storage/staging-file.ts';
import { openLibsqlDatabase } from '../src/storage/libsql.ts';
import { NODE_BUNDLE_OPTIONS } from './node-bundle.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;

/** What `npm start` runs (package.json "start"), and the bundle it runs. */
const START_ARGS = ['--enable-source-maps', 'scripts/start.mjs'];
const SERVER_BUNDLE = join(ROOT, 'dist', 'server', 'node.mjs');

const TARGETS = {
  throughputRatio: 0.4,
  askP99Ms: 25,
  rssBytes: 200 * MiB,
  startupMs: 2000,
  v1ExtraCost: 0.1,
} as const;

const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    duration: { type: 'string', default: '12' },
    warmup: { type: 'string', default: '2' },
    rewarm: { type: 'string', default: '0.5' },
    replicas: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '6' },
    connections: { type: 'string', default: '50' },
    'startup-runs': { type: 'string', default: '5' },
    'skip-startup': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'warn' },
    profile: { type: 'string' },
    control: { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

/**
 * Where each side runs: the load generator (this process) on the first core, every server, all
 * its threads, on the last. Unpinned, the scheduler moves the three threads that matter (the
 * load generator, a server's answering thread, its database thread) between the two cores as it
 * likes, and runs differed by more than the 5 and 10 % costs being measured. Pinned, a server's
 * database thread shares the answering thread's core, so what recording costs counts in full.
 * Null where taskset is missing, with one core, or with --no-pin.
 */
const PINNING = pinning();

function pinning(): { bench: string; server: string } | null {
  const cores = cpus().length;
  if (opts['no-pin'] || cores < 2 || spawnSync('taskset', ['--version']).status !== 0) return null;
  const pins = { bench: '0', server: String(cores - 1) };
  const pinned = spawnSync('taskset', ['--all-tasks', '--pid', '--cpu-list', pins.bench, String(process.pid)]);
  return pinned.status === 0 ? pins : null;
}

/** The answer cache size a default configuration gets. */
const DEFAULT_CACHE_ENTRIES = loadConfig({}).ANSWER_CACHE_ENTRIES;

type VariantKey = 'askUncached' | 'askCached' | 'askCachedRecording';

const VARIANTS: ReadonlyArray<{
  key: VariantKey;
  name: string;
  label: string;
  cacheEntries: number;
  env: Record<string, string>;
}> = [
  {
    key: 'askUncached',
    name: '/ask uncached',
    label: '/ask UNCACHED (ANSWER_CACHE_ENTRIES=0): every request runs retrieval + extractive answer (worst case)',
    cacheEntries: 0,
    env: { ANSWER_CACHE_ENTRIES: '0', RECORD_QUESTIONS: 'false' },
  },
  {
    key: 'askCached',
    name: '/ask cached',
    label: `/ask CACHED (ANSWER_CACHE_ENTRIES unset = default ${DEFAULT_CACHE_ENTRIES}): the rotating questions repeat, so they are served from the answer cache (best case)`,
    cacheEntries: DEFAULT_CACHE_ENTRIES,
    env: { RECORD_QUESTIONS: 'false' },
  },
  {
    key: 'askCachedRecording',
    name: '/ask cached + recording',
    label: `/ask CACHED + RECORDING (RECORD_QUESTIONS=true, the default): as /ask CACHED, every question written to SQLite`,
    cacheEntries: DEFAULT_CACHE_ENTRIES,
    // --control: recording off here too, an A/A run whose "recording cost" is the bench's own noise.
    env: { RECORD_QUESTIONS: opts.control ? 'false' : 'true' },
  },
];

/** Recording may cost at most this share of cached /ask throughput. */
const RECORDING_MAX_COST = 0.05;

/** Measured seconds per server, split evenly over the rounds. */
const DURATION_S = Number(opts.duration);
const WARMUP_S = Number(opts.warmup);
const REWARM_S = Number(opts.rewarm);
const REPLICAS = Math.max(1, Math.round(Number(opts.replicas)));
/** The variants whose comparison (recording on and off) is spread over REPLICAS processes each. */
const REPLICATED = ['askCached', 'askCachedRecording'] as const;
const ROUNDS = Math.max(1, Math.round(Number(opts.rounds)));
const CONNECTIONS = Number(opts.connections);
const STARTUP_RUNS = Math.max(1, Math.round(Number(opts['startup-runs'])));
const LOG_LEVEL = opts['log-level']!;
const PROFILE_DIR = opts.profile ? resolve(opts.profile) : undefined;

const progress = (message: string) => console.error(`[bench] ${message}`);

/** Child processes still running, stopped on any exit path. */
const children = new Set<ChildProcess>();

// ---------------------------------------------------------------------------------------
// Processes

interface Server {
  name: string;
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  output: string[];
  /** The database a recording server writes to, whose staged lines each round waits for. */
  databaseUrl?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/** The environment of every child: this one minus anything that would switch to a model server. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'OPENAI_API_KEY',
    'OPENAI_BASE_URL',
    'CHAT_MODEL',
    'EMBEDDINGS_MODEL',
    'ALLOWED_ORIGINS',
    'LOG_QUESTIONS',
    'NODE_OPTIONS',
    'ANSWER_CACHE_ENTRIES',
    'REQUEST_TIMEOUT_MS',
    'MAX_CONCURRENT_UPSTREAM',
  ]) {
    delete env[name];
  }
  return { ...env, EMBEDDINGS: 'local', ANSWERS: 'extractive', ...extra };
}

function spawnNode(name: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: string[] } {
  // Pinned, taskset execs node: the child's pid is the server's.
  const child = PINNING
    ? spawn('taskset', ['--cpu-list', PINNING.server, process.execPath, ...args], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('error', (error) => progress(`${name}: ${error.message}`));
  return { child, output };
}

async function waitForExit(child: ChildProcess, ms: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolveExit(null);
    }, ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveExit(code);
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await waitForExit(child, 15_000);
}

/** Start a server and wait until it answers `probe` with any HTTP status. */
async function startServer(name: string, args: string[], env: Record<string, string>, path: string): Promise<Server> {
  const port = await freePort();
  const { child, output } = spawnNode(name, args, childEnv({ ...env, HOST: '127.0.0.1', PORT: String(port) }));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode}:\n${output.join('').slice(-2000)}`);
    try {
      await fetch(`${url}${path}`, { method: 'GET', signal: AbortSignal.timeout(2000) });
      return { name, child, pid: child.pid!, port, url, output };
    } catch {
      await sleep(25);
    }
  }
  await stop(child);
  throw new Error(`${name} did not start within 120 s:\n${output.join('').slice(-2000)}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Run a node script to completion; resolve with its stdout. */
async function runNode(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { child, output } = spawnNode(name, args, env);
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await waitForExit(child, 180_000);
  if (code !== 0) throw new Error(`${name} failed (exit ${code}):\n${output.join('').slice(-2000)}`);
  return stdout;
}

// ---------------------------------------------------------------------------------------
// /proc

async function procStatus(pid: number): Promise<{ rss: number; hwm: number } | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/**
 * User + system CPU time of a process, in ms; with `mainThread`, of its main thread alone (the
 * one that answers; the database thread and V8's helpers excluded).
 */
function procCpuMs(pid: number, mainThread = false): Promise<number> {
  return cpuMs(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`);
}

/**
 * Wait until a server is idle: under SETTLE_IDLE_MS of CPU in SETTLE_POLL_MS, polled; at most
 * SETTLE_MAX_MS. Returns how long it took.
 */
async function settled(pid: number): Promise<number> {
  const started = performance.now();
  let before = await procCpuMs(pid);
  while (performance.now() - started < SETTLE_MAX_MS) {
    await new Promise((resolveWait) => setTimeout(resolveWait, SETTLE_POLL_MS));
    const now = await procCpuMs(pid);
    if (!(now - before >= SETTLE_IDLE_MS)) break;
    before = now;
  }
  return performance.now() - started;
}
const SETTLE_POLL_MS = 100;
const SETTLE_IDLE_MS = 5;
const SETTLE_MAX_MS = 30_000;

/**
 * The throughput cost of B against A in each round (both measured within the same round), as
 * the median and the range: one noisy round moves the median less than the pooled figure.
 */
function pairedCost(a: Round[], b: Round[]): { median: number; min: number; max: number } {
  // A round in which A answered nothing has no ratio to give.
  const costs = a.flatMap((ra, i) => (ra.ok > 0 ? [1 - b[i]!.ok / b[i]!.seconds / (ra.ok / ra.seconds)] : []));
  if (costs.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { median: round(median(costs), 3), min: round(Math.min(...costs), 3), max: round(Math.max(...costs), 3) };
}

const paired = (c: { median: number; min: number; max: number }) =>
  `median ${pct(c.median)} (${pct(c.min)} to ${pct(c.max)})`;

/** 2xx answers each server gave (by pid), the checks and warm-ups included. */
const answersBy = new Map<number, number>();
const countAnswer = (server: Server) => answersBy.set(server.pid, (answersBy.get(server.pid) ?? 0) + 1);

/** Busy and stolen CPU time of the whole machine (all cores) so far, in ms, from /proc/stat. */
async function machineCpu(): Promise<{ busyMs: number; stealMs: number }> {
  try {
    const [user, nice, system, , , irq, softirq, steal] = (await readFile('/proc/stat', 'utf8'))
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const ms = (ticks: number | undefined) => ticksToMs(ticks ?? 0);
    return { busyMs: ms(user) + ms(nice) + ms(system) + ms(irq) + ms(softirq), stealMs: ms(steal) };
  } catch {
    return { busyMs: Number.NaN, stealMs: Number.NaN };
  }
}

// ---------------------------------------------------------------------------------------
// Load

interface Request {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: string;
}

interface Round {
  ok: number;
  /** How long the server went on using CPU after the load ended (catching up on deferred work). */
  settleMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  latencies: Float64Array;
  serverCpuMs: number;
  mainThreadCpuMs: number;
  peakRss: number;
}

/** One autocannon run; latencies of 2xx responses recorded exactly (ms, fractional). */
async function load(server: Server, requests: Request[], seconds: number): Promise<Round> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let peakRss = 0;
  const cpuBefore = await procCpuMs(server.pid);
  const mainBefore = await procCpuMs(server.pid, true);
  const sampler = setInterval(() => {
    void procStatus(server.pid).then((s) => {
      if (s) peakRss = Math.max(peakRss, s.rss);
    });
  }, 100);
  const started = performance.now();
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolveRun, reject) => {
    instance = autocannon(
      { url: server.url, connections: CONNECTIONS, duration: seconds, pipelining: 1, timeout: 10, requests },
      (error, result) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolveRun(result),
    );
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode < 200 || statusCode >= 300) return;
    countAnswer(server);
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
  });
  const result = await done;
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  // Work a server put off during the load (the recording server's database thread runs at a
  // lower priority, and moves the rows it staged once the load pauses) is done before the next
  // round starts, so it never takes CPU from another server's round, and its CPU counts in this
  // round's.
  const loadEnded = performance.now();
  if (server.databaseUrl) await stagedLinesMoved(server.databaseUrl);
  await settled(server.pid);
  const settleMs = performance.now() - loadEnded;
  const cpuAfter = await procCpuMs(server.pid);
  const mainAfter = await procCpuMs(server.pid, true);
  const last = await procStatus(server.pid);
  if (last) peakRss = Math.max(peakRss, last.rss);
  return {
    ok: result['2xx'],
    settleMs,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: Math.min(elapsed, result.duration),
    latencies: latencies.subarray(0, count),
    serverCpuMs: cpuAfter - cpuBefore,
    mainThreadCpuMs: mainAfter - mainBefore,
    peakRss,
  };
}

interface LoadSummary {
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  serverCpuUsPerRequest: number;
  mainThreadCpuUsPerRequest: number;
  perRound: Array<{ requestsPerSecond: number; p50: number; p99: number }>;
}

function summarize(rounds: Round[]): LoadSummary {
  const total = rounds.reduce((n, r) => n + r.latencies.length, 0);
  const all = new Float64Array(total);
  let offset = 0;
  for (const r of rounds) {
    all.set(r.latencies, offset);
    offset += r.latencies.length;
  }
  all.sort();
  const ok = rounds.reduce((n, r) => n + r.ok, 0);
  const seconds = rounds.reduce((n, r) => n + r.seconds, 0);
  const cpu = rounds.reduce((n, r) => n + r.serverCpuMs, 0);
  const mainCpu = rounds.reduce((n, r) => n + r.mainThreadCpuMs, 0);
  const sorted = (a: Float64Array) => Float64Array.from(a).sort();
  return {
    requestsPerSecond: round(ok / seconds, 0),
    requests: ok,
    non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    timeouts: rounds.reduce((n, r) => n + r.timeouts, 0),
    seconds: round(seconds, 2),
    latencyMs: {
      p50: round(percentile(all, 0.5), 2),
      p90: round(percentile(all, 0.9), 2),
      p99: round(percentile(all, 0.99), 2),
      max: round(all.at(-1) ?? Number.NaN, 2),
      mean: round(all.reduce((s, v) => s + v, 0) / (all.length || 1), 2),
    },
    serverCpuUsPerRequest: round((cpu * 1000) / (ok || 1), 1),
    mainThreadCpuUsPerRequest: round((mainCpu * 1000) / (ok || 1), 1),
    perRound: rounds.map((r) => {
      const l = sorted(r.latencies);
      return {
        requestsPerSecond: round(r.ok / r.seconds, 0),
        p50: round(percentile(l, 0.5), 2),
        p99: round(percentile(l, 0.99), 2),
      };
    }),
  };
}

function percentile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// ---------------------------------------------------------------------------------------
// Questions

/** 7 single-turn questions the guide covers, evenly spread over the set, and 1 it does not. */
async function benchQuestions(): Promise<EvalQuestion[]> {
  const all = (await readEvalSet(join(ROOT, 'eval', 'questions.jsonl'))).filter((q) => !q.history?.length);
  const covered = all.filter((q) => q.sections.length > 0);
  const notCovered = all.filter((q) => q.sections.length === 0);
  const pick = (list: EvalQuestion[], n: number) =>
    Array.from({ length: Math.min(n, list.length) }, (_, i) => list[Math.floor((i * list.length) / n)]!);
  return [...pick(covered, 7), ...pick(notCovered, 1)];
}

const askRequest = (question: string): Request => ({
  method: 'POST',
  path: '/ask',
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  body: JSON.stringify({ question }),
});

/** A response body without its `id`, which is fresh for every response (cached ones too). */
function withoutId(text: string): string {
  const { id: _id, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify(rest);
}

/** The same question as an OpenAI Chat Completions request (non-streaming). */
const v1Request = (question: string): Request => ({
  method: 'POST',
  path: '/v1/chat/completions',
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  body: JSON.stringify({ model: 'ask-the-guide', messages: [{ role: 'user', content: question }] }),
});

// ---------------------------------------------------------------------------------------
// Start-up

/**
 * How many questions a server recorded into its database file (after it stopped and flushed),
 * the lines it left in its staging file (src/storage/staging-file.ts) included: opening the
 * database moves them, as the server's next start would, each id once.
 */
async function countRecorded(url: string): Promise<number> {
  const db = await openLibsqlDatabase(url);
  try {
    return Number((await db.execute('SELECT count(*) AS n FROM questions'))[0]?.n ?? 0);
  } finally {
    db.close();
  }
}

/**
 * Wait until a recording server has moved the lines it staged under load into `questions`
 * (it does when the load pauses, and empties its staging file), at most SETTLE_MAX_MS.
 */
async function stagedLinesMoved(url: string): Promise<void> {
  const started = performance.now();
  const staged = () => stagingFilesOf(fileURLToPath(url)).some(({ path }) => statSync(path).size > 0);
  while (performance.now() - started < SETTLE_MAX_MS && staged())
    await new Promise((resolveWait) => setTimeout(resolveWait, SETTLE_POLL_MS / 2));
}

async function timeToFirstAnswer(
  indexDir: string,
  body: string,
  databaseUrl: string,
): Promise<{ firstAnswerMs: number; listeningMs: number | null }> {
  const port = await freePort();
  const started = performance.now();
  const { child, output } = spawnNode(
    'startup',
    START_ARGS,
    childEnv({
      HOST: '127.0.0.1',
      PORT: String(port),
      INDEX_DIR: indexDir,
      CORPUS_DIR: 'corpus',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
    }),
  );
  let listeningMs: number | null = null;
  // The start-up lines go to stderr when the log is JSON (stdout is a pipe here).
  const noticeListening = (chunk: Buffer) => {
    if (listeningMs === null && chunk.toString().includes('running at')) listeningMs = performance.now() - started;
  };
  child.stdout!.on('data', noticeListening);
  child.stderr!.on('data', noticeListening);
  try {
    while (performance.now() - started < 60_000) {
      if (child.exitCode !== null)
        throw new Error(`server exited with code ${child.exitCode}:\n${output.join('').slice(-2000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/ask`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.arrayBuffer();
        if (res.status === 200) return { firstAnswerMs: performance.now() - started, listeningMs };
      } catch {
        // not listening yet
      }
      await sleep(10);
    }
    throw new Error(`no answer within 60 s:\n${output.join('').slice(-2000)}`);
  } finally {
    await stop(child);
  }
}

async function mtimeMs(path: string): Promise<number | null> {
  return stat(path).then(
    (s) => s.mtimeMs,
    () => null,
  );
}

// ---------------------------------------------------------------------------------------
// CPU profile summary

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface ProfileSummary {
  file: string;
  totalMs: number;
  byArea: Array<{ area: string; selfMs: number; share: number }>;
  topSelf: Array<{ fn: string; selfMs: number; share: number }>;
  topInclusiveSrc: Array<{ fn: string; totalMs: number; share: number }>;
}

function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)') return 'V8/native (program)';
  if (!url) return 'native/builtins';
  const rel = url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
  if (rel.startsWith('node:')) return 'node core';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
  if (pkg) return `npm: ${pkg[1]}`;
  const src = /^(src\/[^/]+)\//.exec(rel);
  if (src) return src[1]!;
  return rel;
}

function shortLocation(url: string, line: number): string {
  const rel = url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
  const pkg = /node_modules\/(.*)$/.exec(rel);
  return `${pkg ? pkg[1] : rel}:${line + 1}`;
}

/**
 * The /ask server runs the esbuild bundle: point its frames back at src/ (and web/) through
 * the bundle's source map, so the summary names source files as before. Functions keep their
 * names in the bundle (esbuild may suffix a digit on a clash).
 */
async function remapBundleFrames(profile: CpuProfile): Promise<void> {
  let map: SourceMap;
  try {
    map = new SourceMap(JSON.parse(await readFile(`${SERVER_BUNDLE}.map`, 'utf8')));
  } catch {
    return;
  }
  const bundleUrls = new Set([SERVER_BUNDLE, pathToFileURL(SERVER_BUNDLE).href]);
  for (const { callFrame: frame } of profile.nodes) {
    if (!bundleUrls.has(frame.url)) continue;
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
    if (!('originalSource' in entry)) continue;
    frame.url = pathToFileURL(resolve(dirname(SERVER_BUNDLE), entry.originalSource)).href;
    frame.lineNumber = entry.originalLine;
    frame.columnNumber = entry.originalColumn;
  }
}

function summarizeProfile(file: string, profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const busy = [...selfUs.entries()]
    .filter(([id]) => byId.get(id)!.callFrame.functionName !== '(idle)')
    .reduce((a, [, v]) => a + v, 0);

  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${url ? shortLocation(url, lineNumber) : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
    // Inclusive time for functions in src/: once per distinct frame on the stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!.callFrame;
      if (!frame.url.includes(`${ROOT}/src/`)) continue;
      const k = `${frame.functionName || '(anonymous)'} ${shortLocation(frame.url, frame.lineNumber)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const share = (us: number) => round(us / (busy || 1), 3);
  return {
    file,
    totalMs: round(total / 1000, 0),
    byArea: [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 16)
      .map(([a, us]) => ({ area: a, selfMs: round(us / 1000, 0), share: share(us) })),
    topSelf: [...fns.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([fn, us]) => ({ fn, selfMs: round(us / 1000, 0), share: share(us) })),
    topInclusiveSrc: [...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)
      .map(([fn, us]) => ({ fn, totalMs: round(us / 1000, 0), share: share(us) })),
  };
}

/** The main-thread profile (`.<pid>.0.`) a server wrote on exit, summarised. */
async function serverProfile(pid: number): Promise<ProfileSummary | null> {
  if (!PROFILE_DIR) return null;
  const files = (await readdir(PROFILE_DIR))
    .filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.0.`))
    .sort();
  const latest = files.at(-1);
  if (!latest) return null;
  const profile = JSON.parse(await readFile(join(PROFILE_DIR, latest), 'utf8')) as CpuProfile;
  await remapBundleFrames(profile);
  return summarizeProfile(join(PROFILE_DIR, latest), profile);
}

// ---------------------------------------------------------------------------------------
// Main

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);
const mark = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const mib = (bytes: number) => round(bytes / MiB, 1);

/** Rows of cells, left-aligned in columns, indented by two spaces. */
function printTable(rows: string[][]): void {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  for (const row of rows)
    console.log(
      `  ${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('   ')}`.trimEnd(),
    );
}

interface Measured {
  /** The processes measured in turn, one per round (see REPLICAS). */
  servers: Server[];
  requests: Request[];
  rounds: Round[];
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const indexDir = await mkdtemp(join(tmpdir(), 'atg-bench-'));
  // Each server's DATABASE_URL (and the start-up runs'): never the checkout's data/.
  const dataDir = await mkdtemp(join(tmpdir(), 'atg-bench-data-'));
  const databaseUrl = (name: string) => pathToFileURL(join(dataDir, `${name}.db`)).href;
  const bareBundle = join(ROOT, 'dist', 'bench', `bare-server-${process.pid}.mjs`);
  const servers: Server[] = [];
  try {
    // 1. Index.
    progress(`building the index of corpus/ into ${indexDir}`);
    const ingestStarted = performance.now();
    const ingestOut = await runNode(
      'ingest',
      ['--import', 'tsx', 'scripts/ingest.ts', '--json'],
      childEnv({ INDEX_DIR: indexDir, CORPUS_DIR: 'corpus' }),
    );
    const ingestMs = performance.now() - ingestStarted;
    const ingest = JSON.parse(ingestOut.trim().split('\n').at(-1)!) as { chunks: number; documents: number };

    // 2. Servers. The /ask ones one after the other, the way `npm start` starts: the first
    //    rebuilds dist/server and the web assets if they are stale, so the second (and the
    //    start-up runs below) find everything present.
    const profileFlags = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
    const bundleMtimeBefore = await mtimeMs(SERVER_BUNDLE);
    const askEnv = (v: (typeof VARIANTS)[number], database: string) => ({
      INDEX_DIR: indexDir,
      CORPUS_DIR: 'corpus',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL,
      DATABASE_URL: databaseUrl(database),
      ...v.env,
    });
    const ask = {} as Record<VariantKey, Server>;
    const askStartMs = {} as Record<VariantKey, number>;
    for (const v of VARIANTS) {
      progress(
        `starting ${v.name}: node ${[...profileFlags, ...START_ARGS].join(' ')}${v.env.ANSWER_CACHE_ENTRIES ? ` (ANSWER_CACHE_ENTRIES=${v.env.ANSWER_CACHE_ENTRIES})` : ''}`,
      );
      const started = performance.now();
      const server = await startServer(v.name, [...profileFlags, ...START_ARGS], askEnv(v, v.key), '/health');
      askStartMs[v.key] = performance.now() - started;
      if (v.env.RECORD_QUESTIONS === 'true') server.databaseUrl = databaseUrl(v.key);
      servers.push(server);
      ask[v.key] = server;
    }
    const bundleRebuilt = (await mtimeMs(SERVER_BUNDLE)) !== bundleMtimeBefore;

    // Two processes of one configuration differ by several per cent in throughput for as long
    // as they run (A/A runs, --control, show it; likely memory layout and what the JIT did
    // when), as much as the 5 % recording may cost. So the two configurations compared each
    // run as REPLICAS processes, round i on replica i % REPLICAS, and the cost is measured over
    // processes, not one of each. It narrows that spread; it does not remove it.
    const replicas = {} as Record<(typeof REPLICATED)[number], Server[]>;
    for (const key of REPLICATED) {
      replicas[key] = [ask[key]];
      const v = VARIANTS.find((variant) => variant.key === key)!;
      for (let r = 1; r < REPLICAS; r++) {
        progress(`starting ${v.name}, replica ${r + 1}/${REPLICAS}`);
        const name = `${key}-${r + 1}`;
        const server = await startServer(
          `${v.name} (${r + 1})`,
          [...profileFlags, ...START_ARGS],
          askEnv(v, name),
          '/health',
        );
        if (v.env.RECORD_QUESTIONS === 'true') server.databaseUrl = databaseUrl(name);
        servers.push(server);
        replicas[key].push(server);
      }
    }

    progress('bundling scripts/bench-bare-server.ts (esbuild) and starting it');
    await mkdir(dirname(bareBundle), { recursive: true });
    await build({
      entryPoints: [join(ROOT, 'scripts', 'bench-bare-server.ts')],
      outfile: bareBundle,
      ...NODE_BUNDLE_OPTIONS,
    });
    const bare = await startServer('bare', ['--enable-source-maps', bareBundle], {}, '/echo');
    servers.push(bare);

    const questions = await benchQuestions();
    const askRequests = questions.map((q) => askRequest(q.question));
    const v1Requests = questions.map((q) => v1Request(q.question));
    const bareRequests: Request[] = questions.map((q) => ({ ...askRequest(q.question), path: '/echo' }));

    // Every question answers 200 on both /ask servers before the load (a 4xx/5xx would
    // measure the error path), and the cache changes nothing in the answer: the cached
    // server's first answer (computed) and second (from its cache) equal the uncached one's.
    const post = async (server: Server, request: Request) => {
      const res = await fetch(`${server.url}${request.path}`, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
      });
      if (res.ok) countAnswer(server);
      return { status: res.status, text: await res.text() };
    };
    const checks = [];
    for (const [i, q] of questions.entries()) {
      const uncached = await post(ask.askUncached, askRequests[i]!);
      const cachedFirst = await post(ask.askCached, askRequests[i]!);
      const cachedRepeat = await post(ask.askCached, askRequests[i]!);
      const recording = await post(ask.askCachedRecording, askRequests[i]!);
      for (const [name, r] of [
        ['/ask uncached', uncached],
        ['/ask cached', cachedFirst],
        ['/ask cached (repeat)', cachedRepeat],
        ['/ask cached + recording', recording],
      ] as const) {
        if (r.status !== 200)
          throw new Error(`${name} answered ${r.status} for ${q.id} before the load: ${r.text.slice(0, 300)}`);
      }
      type AskBody = { answer: string; grounded?: boolean; mode?: string; citations?: unknown[] };
      const body = JSON.parse(uncached.text) as AskBody;
      const v1 = await post(ask.askCached, v1Requests[i]!);
      if (v1.status !== 200) {
        throw new Error(
          `/v1/chat/completions answered ${v1.status} for ${q.id} before the load: ${v1.text.slice(0, 300)}`,
        );
      }
      const completion = JSON.parse(v1.text) as {
        choices: Array<{ message: { content: string } }>;
        citations: unknown[];
      };
      const v1MatchesAsk =
        completion.choices[0]!.message.content.startsWith(body.answer) &&
        JSON.stringify(completion.citations) === JSON.stringify(body.citations);
      if (!v1MatchesAsk) throw new Error(`/v1/chat/completions answered ${q.id} differently from /ask`);
      checks.push({
        id: q.id,
        status: uncached.status,
        grounded: body.grounded ?? null,
        mode: body.mode ?? null,
        citations: body.citations?.length ?? 0,
        expectedCovered: q.sections.length > 0,
        // Every response has its own id (for feedback); everything else must be identical.
        cachedMatchesUncached:
          withoutId(cachedFirst.text) === withoutId(uncached.text) &&
          withoutId(cachedRepeat.text) === withoutId(uncached.text),
      });
    }
    const cachedMatches = checks.every((c) => c.cachedMatchesUncached);
    if (!cachedMatches)
      progress(
        `WARNING: the cached server answered differently for ${checks
          .filter((c) => !c.cachedMatchesUncached)
          .map((c) => c.id)
          .join(', ')}`,
      );
    const bareCheck = await post(bare, bareRequests[0]!);
    if (bareCheck.status !== 200) throw new Error(`bare /echo answered ${bareCheck.status}`);

    // 3. Load: a warm-up each, then rounds alternating bare → uncached → cached.
    const measured: Record<'bare' | VariantKey | 'v1Cached' | 'v1CachedRecording', Measured> = {
      bare: { servers: [bare], requests: bareRequests, rounds: [] },
      askUncached: { servers: [ask.askUncached], requests: askRequests, rounds: [] },
      askCached: { servers: replicas.askCached, requests: askRequests, rounds: [] },
      // On the same process as /ask cached in each round: /v1's cost is measured within a process.
      v1Cached: { servers: replicas.askCached, requests: v1Requests, rounds: [] },
      askCachedRecording: { servers: replicas.askCachedRecording, requests: askRequests, rounds: [] },
      // Not reported: the same /v1 load on the recording processes, so that the two compared
      // configurations do the same work in each round and differ in recording alone. Without
      // it, A/A runs (--control) measured the second configuration slower.
      v1CachedRecording: { servers: replicas.askCachedRecording, requests: v1Requests, rounds: [] },
    };
    const serverOf = (key: keyof typeof measured, round: number) =>
      measured[key].servers[round % measured[key].servers.length]!;
    // Each pair compared round by round is measured back to back (/v1 with /ask cached, /ask
    // cached with recording), in either order.
    const order = ['bare', 'askUncached', 'v1Cached', 'askCached', 'askCachedRecording', 'v1CachedRecording'] as const;
    // The /v1 loads run on the /ask cached processes: count each process's CPU once.
    const pids = [...new Set(order.flatMap((key) => measured[key].servers.map((server) => server.pid)))];
    const roundSeconds = DURATION_S / ROUNDS;
    progress(
      `warm-up: ${WARMUP_S} s of each load on each server (${order.join(', ')}; replicas included), ${CONNECTIONS} connections`,
    );
    if (WARMUP_S > 0)
      for (const key of order)
        for (const server of measured[key].servers) await load(server, measured[key].requests, WARMUP_S);
    const rssAfterWarmup = {} as Record<VariantKey, number>;
    for (const v of VARIANTS) rssAfterWarmup[v.key] = (await procStatus(ask[v.key].pid))?.rss ?? Number.NaN;

    const loadDuringRounds: number[][] = [];
    const benchCpuBefore = process.cpuUsage();
    const machineBefore = await machineCpu();
    const serversCpuBefore = await Promise.all(pids.map((pid) => procCpuMs(pid)));
    const roundsStarted = performance.now();
    for (let i = 0; i < ROUNDS; i++) {
      progress(
        `round ${i + 1}/${ROUNDS}: ${(i % 2 === 0 ? order : [...order].reverse()).join(', ')}, ${roundSeconds} s each`,
      );
      loadDuringRounds.push(loadavg());
      // Every other round in reverse: a server measured later in a round measures slower (an
      // A/A run, the same configuration twice, showed 7-11 %), and alternating cancels that.
      for (const key of i % 2 === 0 ? order : [...order].reverse()) {
        // Unmeasured load first: a server idle while the others were measured (V8 may shrink
        // an idle isolate's heap, and the core's caches hold another process) starts its slot as
        // warm as the one measured just before it in the same process (/ask cached after /v1).
        const server = serverOf(key, i);
        if (REWARM_S > 0) await load(server, measured[key].requests, REWARM_S);
        measured[key].rounds.push(await load(server, measured[key].requests, roundSeconds));
      }
    }
    const roundsWallMs = performance.now() - roundsStarted;
    const machineAfter = await machineCpu();
    const serversCpuAfter = await Promise.all(pids.map((pid) => procCpuMs(pid)));
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const loadAfterLoad = loadavg();
    loadDuringRounds.push(loadAfterLoad);

    // CPU of everything else on the machine during the measured rounds: busy time from
    // /proc/stat minus this process and the three servers.
    const benchCpuMs = (benchCpu.user + benchCpu.system) / 1000;
    const serversCpuMs = serversCpuAfter.reduce((s, v, i) => s + v - serversCpuBefore[i]!, 0);
    const coreMs = roundsWallMs * cpus().length;
    const otherCpuMs = Math.max(0, machineAfter.busyMs - machineBefore.busyMs - benchCpuMs - serversCpuMs);
    const stealMs = machineAfter.stealMs - machineBefore.stealMs;

    const bareSummary = summarize(measured.bare.rounds);
    const bareStatus = await procStatus(bare.pid);
    const results = {} as Record<
      VariantKey,
      {
        label: string;
        answerCacheEntries: number;
        summary: LoadSummary;
        ratio: number;
        cpuRatio: number;
        rss: {
          peakMiB: number;
          vmHwmMiB: number;
          sampledPeakVmRssMiB: number;
          afterWarmupMiB: number;
          afterLoadMiB: number;
        };
        peakRss: number;
      }
    >;
    for (const v of VARIANTS) {
      const summary = summarize(measured[v.key].rounds);
      const status = await procStatus(ask[v.key].pid);
      const sampled = Math.max(...measured[v.key].rounds.map((r) => r.peakRss));
      const peakRss = Math.max(status?.hwm ?? 0, sampled);
      results[v.key] = {
        label: v.label,
        answerCacheEntries: v.cacheEntries,
        summary,
        ratio: summary.requestsPerSecond / bareSummary.requestsPerSecond,
        cpuRatio: bareSummary.serverCpuUsPerRequest / summary.serverCpuUsPerRequest,
        rss: {
          peakMiB: mib(peakRss),
          vmHwmMiB: mib(status?.hwm ?? Number.NaN),
          sampledPeakVmRssMiB: mib(sampled),
          afterWarmupMiB: mib(rssAfterWarmup[v.key]),
          afterLoadMiB: mib(status?.rss ?? Number.NaN),
        },
        peakRss,
      };
    }

    // Stop the load servers (each writes its CPU profile when asked), then read the profiles.
    for (const s of servers.splice(0)) await stop(s.child);
    const profiles = PROFILE_DIR
      ? {
          askUncached: await serverProfile(ask.askUncached.pid),
          askCached: await serverProfile(ask.askCached.pid),
          askCachedRecording: await serverProfile(ask.askCachedRecording.pid),
        }
      : null;

    // 4. Start-up: one untimed warm start (rebuilds dist/server if the sources changed
    //    meanwhile; warms the file cache), then the timed runs.
    const startup: Array<{ firstAnswerMs: number; listeningMs: number | null }> = [];
    let warmStart: { firstAnswerMs: number; listeningMs: number | null } | null = null;
    if (!opts['skip-startup']) {
      progress('start-up: one untimed warm start');
      warmStart = await timeToFirstAnswer(indexDir, askRequests[0]!.body, databaseUrl('startup'));
      for (let i = 0; i < STARTUP_RUNS; i++) {
        progress(`start-up run ${i + 1}/${STARTUP_RUNS}`);
        startup.push(await timeToFirstAnswer(indexDir, askRequests[0]!.body, databaseUrl('startup')));
      }
    }
    const startupMedian = startup.length ? median(startup.map((s) => s.firstAnswerMs)) : Number.NaN;
    const startupMax = startup.length ? Math.max(...startup.map((s) => s.firstAnswerMs)) : Number.NaN;
    const loadAfterStartup = loadavg();

    const startupTarget = {
      target: `< ${TARGETS.startupMs}`,
      value: round(startupMedian, 0),
      pass: startup.length > 0 && startupMedian < TARGETS.startupMs,
      note: 'one measurement (default configuration; the answer cache is empty at start), the same for both variants',
    };
    const targetsFor = (key: VariantKey) => {
      const r = results[key];
      const t = {
        throughputRatio: {
          target: `>= ${TARGETS.throughputRatio}`,
          value: round(r.ratio, 3),
          pass: r.ratio >= TARGETS.throughputRatio,
        },
        p99Ms: {
          target: `< ${TARGETS.askP99Ms}`,
          value: r.summary.latencyMs.p99,
          pass: r.summary.latencyMs.p99 < TARGETS.askP99Ms,
        },
        peakRssMiB: { target: `< ${TARGETS.rssBytes / MiB}`, value: r.rss.peakMiB, pass: r.peakRss < TARGETS.rssBytes },
        startupMs: startupTarget,
      };
      const passed = Object.values(t).filter((x) => x.pass).length;
      return { label: r.label, ...t, passed, of: Object.keys(t).length, allPass: passed === Object.keys(t).length };
    };
    const targets = { askUncached: targetsFor('askUncached'), askCached: targetsFor('askCached') };
    // What recording costs: cached throughput (and CPU per request) with it on, against off.
    const recordingCost = {
      throughputCost: round(
        1 - results.askCachedRecording.summary.requestsPerSecond / results.askCached.summary.requestsPerSecond,
        3,
      ),
      cpuPerRequestCost: round(
        results.askCachedRecording.summary.serverCpuUsPerRequest / results.askCached.summary.serverCpuUsPerRequest - 1,
        3,
      ),
      // The answering thread's own share: what recording takes from answers, the database
      // thread's work (on another core, when there is one to spare) left out.
      mainThreadCpuPerRequestCost: round(
        results.askCachedRecording.summary.mainThreadCpuUsPerRequest /
          results.askCached.summary.mainThreadCpuUsPerRequest -
          1,
        3,
      ),
      recorded: opts.control
        ? 0
        : (await Promise.all(replicas.askCachedRecording.map((server) => countRecorded(server.databaseUrl!)))).reduce(
            (sum, n) => sum + n,
            0,
          ),
      answered: replicas.askCachedRecording.reduce((sum, server) => sum + (answersBy.get(server.pid) ?? 0), 0),
      // Round by round: each recording round against the cached round of the same round.
      pairedThroughputCost: pairedCost(measured.askCached.rounds, measured.askCachedRecording.rounds),
      // How long its database thread went on writing after each measured round.
      settleMsPerRound: measured.askCachedRecording.rounds.map((r) => round(r.settleMs, 0)),
    };
    const recordingTarget = {
      target: `< ${RECORDING_MAX_COST * 100} % of /ask CACHED throughput`,
      value: recordingCost.throughputCost,
      pass: recordingCost.throughputCost < RECORDING_MAX_COST,
    };

    // /v1 against /ask on the same cached server: the extra cost of the OpenAI layer.
    const v1Summary = summarize(measured.v1Cached.rounds);
    const askCachedSummary = results.askCached.summary;
    const v1Extra = {
      pairedThroughput: pairedCost(measured.askCached.rounds, measured.v1Cached.rounds),
      throughput: 1 - v1Summary.requestsPerSecond / askCachedSummary.requestsPerSecond,
      cpuPerRequest: v1Summary.serverCpuUsPerRequest / askCachedSummary.serverCpuUsPerRequest - 1,
    };
    const v1Target = {
      target: `< ${TARGETS.v1ExtraCost}`,
      throughput: round(v1Extra.throughput, 3),
      pairedThroughput: v1Extra.pairedThroughput,
      cpuPerRequest: round(v1Extra.cpuPerRequest, 3),
      pass: v1Extra.throughput < TARGETS.v1ExtraCost && v1Extra.cpuPerRequest < TARGETS.v1ExtraCost,
    };

    const variantReport = (key: VariantKey) => {
      const r = results[key];
      return {
        label: r.label,
        answerCacheEntries: r.answerCacheEntries,
        ...r.summary,
        ratioToBare: round(r.ratio, 3),
        cpuPerRequestRatioToBare: round(r.cpuRatio, 3),
        rss: r.rss,
        startMs: round(askStartMs[key], 0),
      };
    };
    const report = {
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      machine: {
        cpus: cpus().length,
        node: process.version,
        shared: 'the machine is shared: other processes run alongside (see otherProcessesCpuShare)',
        loadavgBefore: loadBefore.map((l) => round(l, 2)),
        loadavgDuringRounds: loadDuringRounds.map((l) => round(l[0]!, 2)),
        loadavgAfterLoad: loadAfterLoad.map((l) => round(l, 2)),
        loadavgAfterStartup: loadAfterStartup.map((l) => round(l, 2)),
        otherProcessesCpuShare: round(otherCpuMs / coreMs, 3),
        stealShare: round(stealMs / coreMs, 3),
      },
      setup: {
        connections: CONNECTIONS,
        warmupSecondsPerServer: WARMUP_S,
        measuredSecondsPerServer: DURATION_S,
        rounds: ROUNDS,
        roundSeconds,
        roundOrder: order,
        pinning: PINNING,
        askLogLevel: LOG_LEVEL,
        askCommand: `node ${START_ARGS.join(' ')}${PROFILE_DIR ? ' (with --cpu-prof)' : ''}`,
        bareCommand: `node --enable-source-maps ${bareBundle.replace(`${ROOT}/`, '')} (esbuild bundle of scripts/bench-bare-server.ts, packages external)`,
        serverBundleRebuiltAtFirstStart: bundleRebuilt,
        index: { documents: ingest.documents, chunks: ingest.chunks, ingestMs: round(ingestMs, 0) },
        questions: checks,
        cachedAnswersMatchUncached: cachedMatches,
        loadGeneratorCpuMs: round(benchCpuMs, 0),
      },
      bare: {
        label: 'bare POST /echo (Hono + zod validation only): the ceiling',
        ...bareSummary,
        rss: { vmHwmMiB: mib(bareStatus?.hwm ?? Number.NaN) },
      },
      askUncached: variantReport('askUncached'),
      askCached: variantReport('askCached'),
      v1Cached: {
        label: 'POST /v1/chat/completions (non-streaming) on the /ask CACHED server, same questions',
        ...v1Summary,
        extraCostOverAskCached: v1Target,
      },
      askCachedRecording: variantReport('askCachedRecording'),
      recording: { ...recordingCost, target: recordingTarget },
      startup: {
        command: `node ${START_ARGS.join(' ')}`,
        warmStartUntimed: warmStart ? { firstAnswerMs: round(warmStart.firstAnswerMs, 0) } : null,
        runs: startup.map((s) => ({
          firstAnswerMs: round(s.firstAnswerMs, 0),
          listeningMs: s.listeningMs === null ? null : round(s.listeningMs, 0),
        })),
        medianMs: round(startupMedian, 0),
        maxMs: round(startupMax, 0),
      },
      targets,
      profile: profiles,
    };

    if (opts.json) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }

    // Text report.
    const u = results.askUncached;
    const c = results.askCached;
    const r = results.askCachedRecording;
    const l1 = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
    console.log(`\n${report.command}  (${report.machine.cpus} cores, Node ${report.machine.node}; SHARED machine)`);
    console.log(
      `  load average ${l1(loadBefore)} before; 1-min ${loadDuringRounds.map((l) => l[0]!.toFixed(2)).join(' → ')} over the rounds; ${l1(loadAfterStartup)} at the end` +
        `\n  other processes took ${pct(otherCpuMs / coreMs)} of the cores during the measured rounds (steal ${pct(stealMs / coreMs)})`,
    );
    console.log(
      `  ${CONNECTIONS} connections, loopback, ${WARMUP_S} s warm-up per server, then ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} × ${roundSeconds} s each: ${order.join(' → ')}\n` +
        (PINNING
          ? `  pinned (taskset): the load generator on core ${PINNING.bench}, each server (all its threads) on core ${PINNING.server}`
          : '  not pinned: the scheduler places the load generator and the servers'),
    );
    console.log(
      `  /ask: node ${START_ARGS.join(' ')} (dist/server bundle${bundleRebuilt ? ', rebuilt at the first start' : ', up to date'}), LOG_LEVEL=${LOG_LEVEL}; bare: esbuild bundle of scripts/bench-bare-server.ts, node --enable-source-maps`,
    );
    console.log(
      `  index ${ingest.documents} document(s), ${ingest.chunks} chunks; questions: ${checks.map((q) => `${q.id}${q.grounded ? '' : ' (not covered)'}`).join(', ')}`,
    );
    console.log(
      `  cached answers identical to uncached ones: ${
        cachedMatches
          ? 'yes'
          : `NO (${checks
              .filter((q) => !q.cachedMatchesUncached)
              .map((q) => q.id)
              .join(', ')})`
      }\n`,
    );

    const lat = (s: LoadSummary) => `${s.latencyMs.p50} / ${s.latencyMs.p90} / ${s.latencyMs.p99}`;
    const cell = (value: string, pass: boolean) => `${value}  ${mark(pass)}`;
    const fails = (s: LoadSummary) => `${s.non2xx} / ${s.errors} / ${s.timeouts}`;
    const perRound = (s: LoadSummary) => s.perRound.map((r) => r.requestsPerSecond.toLocaleString('en')).join(', ');
    printTable([
      ['', 'bare POST /echo', '/ask UNCACHED', '/ask CACHED', '/ask CACHED'],
      ['', '(Hono + zod only)', `(ANSWER_CACHE_ENTRIES=0,`, `(default cache ${DEFAULT_CACHE_ENTRIES},`, '+ RECORDING'],
      ['', '', 'full pipeline each time)', 'repeats served from cache)', '(RECORD_QUESTIONS=true)'],
      [
        'throughput (2xx req/s)',
        ...[bareSummary, u.summary, c.summary, r.summary].map((s) => s.requestsPerSecond.toLocaleString('en')),
      ],
      ['  per round', perRound(bareSummary), perRound(u.summary), perRound(c.summary), perRound(r.summary)],
      ['ratio to bare (req/s)', '—', pct(u.ratio), pct(c.ratio), pct(r.ratio)],
      ['ratio to bare (CPU per request)', '—', pct(u.cpuRatio), pct(c.cpuRatio), pct(r.cpuRatio)],
      ['latency p50 / p90 / p99 (ms)', lat(bareSummary), lat(u.summary), lat(c.summary), lat(r.summary)],
      ['latency max (ms)', ...[bareSummary, u.summary, c.summary, r.summary].map((s) => String(s.latencyMs.max))],
      [
        'server CPU per request (µs)',
        ...[bareSummary, u.summary, c.summary, r.summary].map((s) => String(s.serverCpuUsPerRequest)),
      ],
      [
        '  of which its main thread (µs)',
        ...[bareSummary, u.summary, c.summary, r.summary].map((s) => String(s.mainThreadCpuUsPerRequest)),
      ],
      ['peak RSS (MiB)', `${report.bare.rss.vmHwmMiB}`, `${u.rss.peakMiB}`, `${c.rss.peakMiB}`, `${r.rss.peakMiB}`],
      [
        '  after warm-up / after load (MiB)',
        '',
        ...[u, c, r].map((x) => `${x.rss.afterWarmupMiB} / ${x.rss.afterLoadMiB}`),
      ],
      ['non-2xx / errors / timeouts', fails(bareSummary), fails(u.summary), fails(c.summary), fails(r.summary)],
    ]);
    console.log(
      `\nRecording (RECORD_QUESTIONS=true vs false, cached /ask): throughput cost ${pct(recordingCost.throughputCost)}` +
        ` (target < ${RECORDING_MAX_COST * 100} %)  ${mark(recordingTarget.pass)}; CPU per request ${recordingCost.cpuPerRequestCost >= 0 ? '+' : ''}${pct(recordingCost.cpuPerRequestCost)}` +
        ` (main thread ${recordingCost.mainThreadCpuPerRequestCost >= 0 ? '+' : ''}${pct(recordingCost.mainThreadCpuPerRequestCost)});` +
        ` ${recordingCost.recorded.toLocaleString('en')} answers written to SQLite, ${recordingCost.answered.toLocaleString('en')} received` +
        ' (the load generator stops without reading what is in flight);' +
        ` writes caught up ${recordingCost.settleMsPerRound.join(', ')} ms after the rounds (that CPU included)`,
    );
    console.log(
      `  round by round: ${paired(recordingCost.pairedThroughputCost)}${opts.control ? '  (--control: recording OFF on both, so this is noise)' : ''}`,
    );

    console.log(
      '\n/v1/chat/completions (non-streaming) on the /ask CACHED server, same questions, next to /ask cached in each round',
    );
    printTable([
      ['', '/ask CACHED', '/v1 CACHED', 'extra cost of /v1'],
      [
        'throughput (2xx req/s)',
        c.summary.requestsPerSecond.toLocaleString('en'),
        v1Summary.requestsPerSecond.toLocaleString('en'),
        cell(pct(v1Extra.throughput), v1Extra.throughput < TARGETS.v1ExtraCost),
      ],
      [
        'server CPU per request (µs)',
        String(c.summary.serverCpuUsPerRequest),
        String(v1Summary.serverCpuUsPerRequest),
        cell(pct(v1Extra.cpuPerRequest), v1Extra.cpuPerRequest < TARGETS.v1ExtraCost),
      ],
      ['latency p50 / p90 / p99 (ms)', lat(c.summary), lat(v1Summary), ''],
      ['non-2xx / errors / timeouts', fails(c.summary), fails(v1Summary), ''],
    ]);
    console.log(`  throughput, round by round: ${paired(v1Extra.pairedThroughput)}`);
    const v1Verdict = v1Target.pass ? 'PASS' : 'FAIL';
    console.log(
      `  target: /v1 costs under ${TARGETS.v1ExtraCost * 100} % more than /ask (req/s, CPU per request): ${v1Verdict}`,
    );

    console.log('\nTargets (checked for BOTH /ask variants)');
    const tu = targets.askUncached;
    const tc = targets.askCached;
    const startupCell = startup.length ? cell(fmtMs(startupMedian), startupTarget.pass) : 'skipped  FAIL';
    printTable([
      ['', '/ask UNCACHED', '/ask CACHED'],
      [
        `throughput >= ${TARGETS.throughputRatio * 100} % of bare`,
        cell(pct(u.ratio), tu.throughputRatio.pass),
        cell(pct(c.ratio), tc.throughputRatio.pass),
      ],
      [
        `p99 latency < ${TARGETS.askP99Ms} ms`,
        cell(`${u.summary.latencyMs.p99} ms`, tu.p99Ms.pass),
        cell(`${c.summary.latencyMs.p99} ms`, tc.p99Ms.pass),
      ],
      [
        `peak RSS < ${TARGETS.rssBytes / MiB} MiB`,
        cell(`${u.rss.peakMiB} MiB`, tu.peakRssMiB.pass),
        cell(`${c.rss.peakMiB} MiB`, tc.peakRssMiB.pass),
      ],
      [
        `start to first answer < ${TARGETS.startupMs / 1000} s (median)`,
        startupCell,
        `${startupCell}  (same measurement)`,
      ],
      [
        'all targets',
        `${tu.allPass ? 'PASS' : 'FAIL'} (${tu.passed}/${tu.of})`,
        `${tc.allPass ? 'PASS' : 'FAIL'} (${tc.passed}/${tc.of})`,
      ],
    ]);
    if (startup.length) {
      console.log(
        `  start-up: node ${START_ARGS.join(' ')}, default configuration; runs ${startup.map((s) => Math.round(s.firstAnswerMs)).join(', ')} ms ` +
          `(median ${fmtMs(startupMedian)}, max ${fmtMs(startupMax)}; listening median ${fmtMs(median(startup.map((s) => s.listeningMs ?? Number.NaN)))}; ` +
          `untimed warm start ${fmtMs(warmStart!.firstAnswerMs)}); npm's own ~0.2 s comes on top with \`npm start\``,
      );
    }
    if (profiles) {
      for (const v of VARIANTS) {
        const profile = profiles[v.key];
        if (!profile) {
          console.log(`\nCPU profile of ${v.name}: not found in ${PROFILE_DIR}`);
          continue;
        }
        console.log(
          `\nCPU profile of ${v.name}: ${profile.file} (${profile.totalMs} ms sampled; shares of non-idle time)`,
        );
        console.log('  by area (self time):');
        for (const a of profile.byArea) console.log(`    ${(a.share * 100).toFixed(1).padStart(5)} %  ${a.area}`);
        console.log('  top functions (self time):');
        for (const f of profile.topSelf) console.log(`    ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.fn}`);
        console.log('  src/ functions (inclusive time):');
        for (const f of profile.topInclusiveSrc)
          console.log(`    ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.fn}`);
      }
    }
  } finally {
    for (const s of servers) await stop(s.child);
    await rm(indexDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
    await rm(bareBundle, { force: true });
    await rm(`${bareBundle}.map`, { force: true });
    await rmdir(dirname(bareBundle)).catch(() => undefined); // only if empty (another run may be using it)
  }
}

const onSignal = (signal: NodeJS.Signals) => {
  for (const child of children) child.kill('SIGTERM');
  process.exit(signal === 'SIGINT' ? 130 : 143);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench: could not run: ${(error as Error)?.message ?? String(error)}`);
    for (const child of children) child.kill('SIGTERM');
    process.exit(1);
  },
);
