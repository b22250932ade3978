/**
 * npm run bench [-- --json] [-- --duration 10 --warmup 2 --rounds 2 --connections 50]
 *               [-- --startup-runs 5] [-- --log-level warn] [-- --profile DIR] [-- --skip-startup]
 *
 * HTTP benchmark of /ask (embedded default: local embedder, extractive answers). Each figure
 * is printed next to its target with PASS/FAIL.
 *
 * 1. Builds an index of CORPUS_DIR=corpus into a temporary INDEX_DIR (scripts/ingest.ts --json).
 * 2. Starts, as child processes, the real server (`node --import tsx src/node.ts`, HOST=127.0.0.1,
 *    rate limiting off, ANSWERS=extractive, EMBEDDINGS=local) and a bare Hono app with one
 *    zod-validated POST route (scripts/bench-bare-server.ts), each on a free loopback port.
 * 3. Loads each with autocannon (in this process), 50 keep-alive connections: a warm-up, then
 *    measured rounds alternating bare, /ask, bare, /ask... so that a noisy neighbour on a
 *    shared machine hits both alike. /ask requests rotate over 8 questions of
 *    eval/questions.jsonl (7 the guide covers, 1 it does not), JSON responses.
 *    Reported: req/s (2xx only), the ratio /ask / bare, p50/p99 latency (exact, from every
 *    response, not autocannon's whole-millisecond histogram), server CPU time per request
 *    (from /proc, insensitive to how busy the machine is), and the /ask server's RSS: peak
 *    VmRSS sampled during the load and VmHWM after it.
 * 4. Time from start to first answer: `node --import tsx src/node.ts` spawned fresh with the
 *    index present and the web assets built, POST /ask polled every 10 ms until the first
 *    200; wall time from spawn. Median and max of --startup-runs (npm's own start-up, about
 *    0.2 s, comes on top with `npm start`).
 *
 * The load generator shares the 2 cores with the server, as wrk would on loopback; the
 * machine's load average is reported alongside. `--profile DIR` runs the /ask server with
 * `--cpu-prof` and prints where its CPU time went. A benchmark, not a test: it exits 0
 * whatever the figures (1 only if the harness itself could not run). With --json the whole
 * report goes to stdout as JSON; progress goes to stderr.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;

const TARGETS = {
  throughputRatio: 0.4,
  askP99Ms: 25,
  rssBytes: 200 * MiB,
  startupMs: 2000,
} as const;

const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    'startup-runs': { type: 'string', default: '5' },
    'skip-startup': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'warn' },
    profile: { type: 'string' },
  },
  allowPositionals: false,
});

const DURATION_S = Number(opts.duration);
const WARMUP_S = Number(opts.warmup);
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
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'CHAT_MODEL', 'EMBEDDINGS_MODEL', 'ALLOWED_ORIGINS', 'LOG_QUESTIONS', 'NODE_OPTIONS']) delete env[name];
  return { ...env, EMBEDDINGS: 'local', ANSWERS: 'extractive', ...extra };
}

function spawnNode(name: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: string[] } {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}:\n${output.join('').slice(-2000)}`);
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

const CLOCK_TICKS = 100;

async function procStatus(pid: number): Promise<{ rss: number; hwm: number } | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** User + system CPU time of a process, in ms. */
async function procCpuMs(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime 14, stime 15 (1-based in proc(5)).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
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
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  latencies: Float64Array;
  serverCpuMs: number;
  peakRss: number;
}

/** One autocannon run; latencies of 2xx responses recorded exactly (ms, fractional). */
async function load(server: Server, requests: Request[], seconds: number): Promise<Round> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let peakRss = 0;
  const cpuBefore = await procCpuMs(server.pid);
  const sampler = setInterval(() => {
    void procStatus(server.pid).then((s) => {
      if (s) peakRss = Math.max(peakRss, s.rss);
    });
  }, 100);
  const started = performance.now();
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolveRun, reject) => {
    instance = autocannon({ url: server.url, connections: CONNECTIONS, duration: seconds, pipelining: 1, timeout: 10, requests }, (error, result) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolveRun(result),
    );
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode < 200 || statusCode >= 300) return;
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
  const cpuAfter = await procCpuMs(server.pid);
  const last = await procStatus(server.pid);
  if (last) peakRss = Math.max(peakRss, last.rss);
  return {
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: Math.min(elapsed, result.duration),
    latencies: latencies.subarray(0, count),
    serverCpuMs: cpuAfter - cpuBefore,
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
    perRound: rounds.map((r) => {
      const l = sorted(r.latencies);
      return { requestsPerSecond: round(r.ok / r.seconds, 0), p50: round(percentile(l, 0.5), 2), p99: round(percentile(l, 0.99), 2) };
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

interface EvalQuestion {
  id: string;
  question: string;
  sections: string[];
  history?: unknown[];
}

/** 7 single-turn questions the guide covers, evenly spread over the set, and 1 it does not. */
async function benchQuestions(): Promise<EvalQuestion[]> {
  const all = (await readFile(join(ROOT, 'eval', 'questions.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalQuestion)
    .filter((q) => !q.history?.length);
  const covered = all.filter((q) => q.sections.length > 0);
  const notCovered = all.filter((q) => q.sections.length === 0);
  const pick = (list: EvalQuestion[], n: number) => Array.from({ length: Math.min(n, list.length) }, (_, i) => list[Math.floor((i * list.length) / n)]!);
  return [...pick(covered, 7), ...pick(notCovered, 1)];
}

const askRequest = (question: string): Request => ({
  method: 'POST',
  path: '/ask',
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  body: JSON.stringify({ question }),
});

// ---------------------------------------------------------------------------------------
// Start-up

async function timeToFirstAnswer(indexDir: string, body: string): Promise<{ firstAnswerMs: number; listeningMs: number | null }> {
  const port = await freePort();
  const started = performance.now();
  const { child, output } = spawnNode(
    'startup',
    ['--import', 'tsx', 'src/node.ts'],
    childEnv({ HOST: '127.0.0.1', PORT: String(port), INDEX_DIR: indexDir, CORPUS_DIR: 'corpus', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' }),
  );
  let listeningMs: number | null = null;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (listeningMs === null && chunk.toString().includes('running at')) listeningMs = performance.now() - started;
  });
  try {
    while (performance.now() - started < 60_000) {
      if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}:\n${output.join('').slice(-2000)}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
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

// ---------------------------------------------------------------------------------------
// CPU profile summary

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
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

function summarizeProfile(file: string, profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const busy = [...selfUs.entries()].filter(([id]) => byId.get(id)!.callFrame.functionName !== '(idle)').reduce((a, [, v]) => a + v, 0);

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
    byArea: [...areas.entries()].sort((a, b) => b[1] - a[1]).slice(0, 16).map(([a, us]) => ({ area: a, selfMs: round(us / 1000, 0), share: share(us) })),
    topSelf: [...fns.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([fn, us]) => ({ fn, selfMs: round(us / 1000, 0), share: share(us) })),
    topInclusiveSrc: [...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([fn, us]) => ({ fn, totalMs: round(us / 1000, 0), share: share(us) })),
  };
}

// ---------------------------------------------------------------------------------------
// Main

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);
const mark = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const indexDir = await mkdtemp(join(tmpdir(), 'atg-bench-'));
  const servers: Server[] = [];
  try {
    // 1. Index.
    progress(`building the index of corpus/ into ${indexDir}`);
    const ingestStarted = performance.now();
    const ingestOut = await runNode('ingest', ['--import', 'tsx', 'scripts/ingest.ts', '--json'], childEnv({ INDEX_DIR: indexDir, CORPUS_DIR: 'corpus' }));
    const ingestMs = performance.now() - ingestStarted;
    const ingest = JSON.parse(ingestOut.trim().split('\n').at(-1)!) as { chunks: number; documents: number };

    // 2. Servers. The real one first: it builds the web assets if they are stale, so the
    //    start-up runs below measure a server with everything present.
    progress('starting the /ask server and the bare Hono server');
    const askArgs = [...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), '--import', 'tsx', 'src/node.ts'];
    const ask = await startServer('ask', askArgs, { INDEX_DIR: indexDir, CORPUS_DIR: 'corpus', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL }, '/health');
    servers.push(ask);
    const bare = await startServer('bare', ['--import', 'tsx', 'scripts/bench-bare-server.ts'], {}, '/echo');
    servers.push(bare);

    const questions = await benchQuestions();
    const askRequests = questions.map((q) => askRequest(q.question));
    const bareRequests: Request[] = questions.map((q) => ({ ...askRequest(q.question), path: '/echo' }));

    // Every question answers 200 before the load (a 4xx/5xx would measure the error path).
    const checks = [];
    for (const q of questions) {
      const res = await fetch(`${ask.url}/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: q.question }) });
      const body = (await res.json()) as { grounded?: boolean; mode?: string; citations?: unknown[]; error?: { code: string } };
      checks.push({ id: q.id, status: res.status, grounded: body.grounded ?? null, mode: body.mode ?? null, citations: body.citations?.length ?? 0, expectedCovered: q.sections.length > 0 });
    }
    const badCheck = checks.find((c) => c.status !== 200);
    if (badCheck) throw new Error(`/ask answered ${badCheck.status} for ${badCheck.id} before the load`);
    const bareCheck = await fetch(`${bare.url}/echo`, { method: 'POST', headers: bareRequests[0]!.headers, body: bareRequests[0]!.body });
    if (bareCheck.status !== 200) throw new Error(`bare /echo answered ${bareCheck.status}`);
    await bareCheck.arrayBuffer();

    // 3. Load: warm-up, then alternating rounds.
    const roundSeconds = DURATION_S / ROUNDS;
    progress(`warm-up: ${WARMUP_S} s each, ${CONNECTIONS} connections`);
    if (WARMUP_S > 0) {
      await load(bare, bareRequests, WARMUP_S);
      await load(ask, askRequests, WARMUP_S);
    }
    const rssAfterWarmup = (await procStatus(ask.pid))?.rss ?? Number.NaN;
    const bareRounds: Round[] = [];
    const askRounds: Round[] = [];
    const benchCpuBefore = process.cpuUsage();
    for (let i = 0; i < ROUNDS; i++) {
      progress(`round ${i + 1}/${ROUNDS}: bare /echo ${roundSeconds} s, then /ask ${roundSeconds} s`);
      bareRounds.push(await load(bare, bareRequests, roundSeconds));
      askRounds.push(await load(ask, askRequests, roundSeconds));
    }
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const askStatus = await procStatus(ask.pid);
    const bareStatus = await procStatus(bare.pid);

    const bareSummary = summarize(bareRounds);
    const askSummary = summarize(askRounds);
    const ratio = askSummary.requestsPerSecond / bareSummary.requestsPerSecond;
    const cpuRatio = bareSummary.serverCpuUsPerRequest / askSummary.serverCpuUsPerRequest;
    const askPeakRss = Math.max(askStatus?.hwm ?? 0, ...askRounds.map((r) => r.peakRss));
    const sampledPeakRss = Math.max(...askRounds.map((r) => r.peakRss));
    const loadDuring = loadavg();

    // Stop the load servers (writes the CPU profile when asked).
    for (const s of servers.splice(0)) await stop(s.child);

    // 4. Start-up.
    const startup: Array<{ firstAnswerMs: number; listeningMs: number | null }> = [];
    if (!opts['skip-startup']) {
      for (let i = 0; i < STARTUP_RUNS; i++) {
        progress(`start-up run ${i + 1}/${STARTUP_RUNS}`);
        startup.push(await timeToFirstAnswer(indexDir, askRequests[0]!.body));
      }
    }
    const startupMedian = startup.length ? median(startup.map((s) => s.firstAnswerMs)) : Number.NaN;
    const startupMax = startup.length ? Math.max(...startup.map((s) => s.firstAnswerMs)) : Number.NaN;

    let profile: ProfileSummary | null = null;
    if (PROFILE_DIR) {
      // One profile per thread (tsx runs its loader on a worker thread): the main thread's is `.<pid>.0.`.
      const files = (await readdir(PROFILE_DIR)).filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${ask.pid}.0.`)).sort();
      const latest = files.at(-1);
      if (latest) profile = summarizeProfile(join(PROFILE_DIR, latest), JSON.parse(await readFile(join(PROFILE_DIR, latest), 'utf8')) as CpuProfile);
    }

    const targets = {
      throughputRatio: { target: `>= ${TARGETS.throughputRatio}`, value: round(ratio, 3), pass: ratio >= TARGETS.throughputRatio },
      askP99Ms: { target: `< ${TARGETS.askP99Ms}`, value: askSummary.latencyMs.p99, pass: askSummary.latencyMs.p99 < TARGETS.askP99Ms },
      askRssMiB: { target: `< ${TARGETS.rssBytes / MiB}`, value: round(askPeakRss / MiB, 1), pass: askPeakRss < TARGETS.rssBytes },
      startupMs: { target: `< ${TARGETS.startupMs}`, value: round(startupMedian, 0), pass: startup.length > 0 && startupMedian < TARGETS.startupMs },
    };

    const report = {
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      machine: { cpus: cpus().length, node: process.version, loadavgBefore: loadBefore.map((l) => round(l, 2)), loadavgAfterLoad: loadDuring.map((l) => round(l, 2)) },
      setup: {
        connections: CONNECTIONS,
        warmupSeconds: WARMUP_S,
        measuredSecondsPerServer: DURATION_S,
        rounds: ROUNDS,
        askLogLevel: LOG_LEVEL,
        index: { documents: ingest.documents, chunks: ingest.chunks, ingestMs: round(ingestMs, 0) },
        questions: checks,
        loadGeneratorCpuMs: round((benchCpu.user + benchCpu.system) / 1000, 0),
      },
      bare: bareSummary,
      ask: askSummary,
      ratio: round(ratio, 3),
      cpuPerRequestRatio: round(cpuRatio, 3),
      askRss: {
        peakMiB: round(askPeakRss / MiB, 1),
        vmHwmMiB: round((askStatus?.hwm ?? Number.NaN) / MiB, 1),
        sampledPeakVmRssMiB: round(sampledPeakRss / MiB, 1),
        afterWarmupMiB: round(rssAfterWarmup / MiB, 1),
        afterLoadMiB: round((askStatus?.rss ?? Number.NaN) / MiB, 1),
      },
      bareRssMiB: { vmHwm: round((bareStatus?.hwm ?? Number.NaN) / MiB, 1) },
      startup: {
        runs: startup.map((s) => ({ firstAnswerMs: round(s.firstAnswerMs, 0), listeningMs: s.listeningMs === null ? null : round(s.listeningMs, 0) })),
        medianMs: round(startupMedian, 0),
        maxMs: round(startupMax, 0),
      },
      targets,
      profile,
    };

    if (opts.json) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }

    const line = (label: string, value: string, target?: string, pass?: boolean) =>
      console.log(`  ${label.padEnd(38)} ${value.padEnd(24)}${target ? ` target ${target.padEnd(10)} ${mark(pass!)}` : ''}`);
    console.log(`\n${report.command}  (${report.machine.cpus} cores, Node ${report.machine.node}, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadDuring.map((l) => l.toFixed(2)).join(' ')} after the load)`);
    console.log(`  ${CONNECTIONS} connections, loopback, ${WARMUP_S} s warm-up then ${ROUNDS} x ${roundSeconds} s alternating per server; /ask LOG_LEVEL=${LOG_LEVEL}; index ${ingest.documents} document(s), ${ingest.chunks} chunks`);
    console.log(`  questions: ${checks.map((c) => `${c.id}${c.grounded ? '' : ' (not covered)'}`).join(', ')}\n`);
    const describe = (name: string, s: LoadSummary) => {
      line(`${name} throughput`, `${s.requestsPerSecond.toLocaleString('en')} req/s`);
      line(`${name} latency p50 / p90 / p99`, `${s.latencyMs.p50} / ${s.latencyMs.p90} / ${s.latencyMs.p99} ms`);
      line(`${name} server CPU per request`, `${s.serverCpuUsPerRequest} us`);
      if (s.non2xx || s.errors || s.timeouts) line(`${name} failures`, `${s.non2xx} non-2xx, ${s.errors} errors, ${s.timeouts} timeouts`);
      line(`${name} per round (req/s, p50, p99)`, s.perRound.map((r) => `${r.requestsPerSecond}/${r.p50}/${r.p99}`).join('  '));
    };
    describe('bare POST /echo (zod)', bareSummary);
    describe('/ask', askSummary);
    line('/ask throughput / bare', `${(ratio * 100).toFixed(1)} %`, `>= ${TARGETS.throughputRatio * 100} %`, targets.throughputRatio.pass);
    line('  (same, from CPU per request)', `${(cpuRatio * 100).toFixed(1)} %`);
    line('/ask p99 latency', `${askSummary.latencyMs.p99} ms`, `< ${TARGETS.askP99Ms} ms`, targets.askP99Ms.pass);
    line('/ask server peak RSS', `${report.askRss.peakMiB} MiB`, `< ${TARGETS.rssBytes / MiB} MiB`, targets.askRssMiB.pass);
    line('  (VmHWM / sampled VmRSS / after)', `${report.askRss.vmHwmMiB} / ${report.askRss.sampledPeakVmRssMiB} / ${report.askRss.afterLoadMiB} MiB`);
    if (startup.length) {
      line('start to first answer (median)', fmtMs(startupMedian), `< ${TARGETS.startupMs / 1000} s`, targets.startupMs.pass);
      line('  max of runs / runs', `${fmtMs(startupMax)} / ${startup.map((s) => Math.round(s.firstAnswerMs)).join(', ')} ms`);
      line('  listening (median)', fmtMs(median(startup.map((s) => s.listeningMs ?? Number.NaN))));
    }
    if (profile) {
      console.log(`\nCPU profile of the /ask server: ${profile.file} (${profile.totalMs} ms sampled; shares of non-idle time)`);
      console.log('  by area (self time):');
      for (const a of profile.byArea) console.log(`    ${(a.share * 100).toFixed(1).padStart(5)} %  ${a.area}`);
      console.log('  top functions (self time):');
      for (const f of profile.topSelf) console.log(`    ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.fn}`);
      console.log('  src/ functions (inclusive time):');
      for (const f of profile.topInclusiveSrc) console.log(`    ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.fn}`);
    }
  } finally {
    for (const s of servers) await stop(s.child);
    await rm(indexDir, { recursive: true, force: true });
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
