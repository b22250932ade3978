/**
 * npm run bench:recording [-- --json] [-- --rate 9000 --seconds 3 --rounds 3]
 *
 * What recording one answered question costs, thread by thread, on the database thread as the
 * server opens it (openDatabaseThread, a SQLite file in a temporary folder):
 *   - the answering thread: queueQuestion (the record to a line, the line into the shared
 *     ring), timed per call in a tight loop;
 *   - the database thread while records stream in at `--rate` a second (its periodic drains:
 *     taking the lines and appending them to the staging file);
 *   - the database thread once the stream pauses (moving the staged lines into `questions`);
 *   - the process's helper threads (V8's garbage collection and compilation, libuv's pool)
 *     over both, which serve the answering thread too and are reported apart.
 * The threads' CPU comes from /proc/self/task (10 ms ticks, so streams are long enough for
 * hundreds of ticks). `npm run bench` measures the same thing end to end, through HTTP, where
 * a 2-core VM's noise is larger than a 5 % target; this isolates the work itself.
 *
 * A benchmark, not a test: it exits 0 whatever the figures.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { newAnswerId } from '../src/rag/answer-id.ts';
import { openDatabaseThread } from '../src/storage/database-thread.ts';
import { citedSectionsJson, type QuestionRecord } from '../src/storage/question-log.ts';
import { STAGING_DEFAULTS } from '../src/storage/staged-questions.ts';
import { cpuMs } from './proc-stat.ts';

const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    rate: { type: 'string', default: '9000' },
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
  },
});
const RATE = Number(opts.rate);
const SECONDS = Number(opts.seconds);
const ROUNDS = Number(opts.rounds);

/** The eight questions of the bench's cached answers, one of them unanswered. */
const QUESTIONS = [
  'How do I move from sales into product management?',
  'What skills transfer from customer support?',
  'Do I need a certification to become a product manager?',
  'Is product management stressful?',
  'I am a teacher, how can I move into product management?',
  'What should I do first?',
  'How long does the switch take?',
  'What is the capital of Peru?',
];
const DOCUMENT = 'transition-product-management-background';
const CITED = citedSectionsJson([
  { document: DOCUMENT, section: 'Moving from Sales to Product Management' },
  { document: DOCUMENT, section: 'Transferable skills' },
]);

/**
 * The i-th record, as the server writes one for a cached answer: made when it is recorded, as
 * the server makes it, so that it dies young. (Records made all at once beforehand outlive
 * several young-generation collections, and copying them counted as the helper threads' work.)
 */
function recordAt(i: number): QuestionRecord {
  const unanswered = i % QUESTIONS.length === QUESTIONS.length - 1;
  return {
    id: newAnswerId(),
    askedAt: Date.now(),
    question: QUESTIONS[i % QUESTIONS.length]!,
    outcome: unanswered ? 'none' : 'answered',
    mode: 'extractive',
    latencyMs: 0.42,
    generation: '20261206T105300Z-5548ca',
    citedSections: unanswered ? '{}' : CITED,
  };
}

/** CPU ms of each thread of this process so far, by thread id (a thread that ended is left out). */
async function threadCpuMs(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const id of await readdir('/proc/self/task')) {
    const ms = await cpuMs(`/proc/self/task/${id}/stat`);
    if (!Number.isNaN(ms)) out.set(id, ms);
  }
  return out;
}

/**
 * CPU ms that some threads took between two readings: those of `threads` (the database
 * thread's), or, with `except`, every thread but this one and those.
 */
function threadsMs(
  before: Map<string, number>,
  after: Map<string, number>,
  threads: ReadonlySet<string>,
  except = false,
): number {
  let ms = 0;
  for (const [id, now] of after)
    if (id !== String(process.pid) && threads.has(id) !== except) ms += now - (before.get(id) ?? 0);
  return ms;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function round(dir: string, index: number) {
  const url = pathToFileURL(join(dir, `round-${index}.db`)).href;
  const running = await threadCpuMs();
  const db = await openDatabaseThread(url);
  // The threads that opening the database started: its worker thread (and any its driver
  // starts). The others are V8's and libuv's helpers, which also serve the answering thread.
  const databaseThreads = new Set([...(await threadCpuMs()).keys()].filter((id) => !running.has(id)));
  const total = RATE * SECONDS;

  // The answering thread: queueQuestion alone, timed in bursts of one millisecond's share of
  // the rate (as requests arrive), the bursts a millisecond apart.
  const perTick = Math.max(1, Math.round(RATE / 1000));
  let queueNs = 0n;
  let dropped = 0;
  const before = await threadCpuMs();
  for (let at = 0; at < total; at += perTick) {
    const burst = Array.from({ length: Math.min(perTick, total - at) }, (_, j) => recordAt(at + j));
    const started = process.hrtime.bigint();
    for (const record of burst) if (!db.queueQuestion(record)) dropped++;
    queueNs += process.hrtime.bigint() - started;
    await sleep(1);
  }
  await db.drainQueue();
  const streamed = await threadCpuMs();
  // The stream has paused: the staged lines move after STAGING_DEFAULTS.idleMs; wait for it.
  await sleep(STAGING_DEFAULTS.idleMs + 100);
  const [{ n: moved }] = (await db.execute('SELECT count(*) AS n FROM questions')) as [{ n: number }];
  const after = await threadCpuMs();
  db.close();
  return {
    records: total,
    dropped,
    moved: Number(moved),
    answeringThreadUsPerRecord: Number(queueNs) / 1000 / total,
    databaseThreadStreamingUsPerRecord: (threadsMs(before, streamed, databaseThreads) * 1000) / total,
    databaseThreadMovingUsPerRecord: (threadsMs(streamed, after, databaseThreads) * 1000) / total,
    helperThreadsUsPerRecord: (threadsMs(before, after, databaseThreads, true) * 1000) / total,
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'atg-bench-recording-'));
  try {
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) {
      process.stderr.write(`[bench:recording] round ${i + 1}/${ROUNDS}: ${RATE}/s for ${SECONDS} s\n`);
      rounds.push(await round(dir, i));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const summary = {
      rate: RATE,
      seconds: SECONDS,
      rounds,
      median: {
        answeringThreadUsPerRecord: median(rounds.map((r) => r.answeringThreadUsPerRecord)),
        databaseThreadStreamingUsPerRecord: median(rounds.map((r) => r.databaseThreadStreamingUsPerRecord)),
        databaseThreadMovingUsPerRecord: median(rounds.map((r) => r.databaseThreadMovingUsPerRecord)),
        helperThreadsUsPerRecord: median(rounds.map((r) => r.helperThreadsUsPerRecord)),
      },
    };
    if (opts.json) {
      console.log(JSON.stringify(summary));
      return;
    }
    const f = (n: number) => n.toFixed(2);
    console.log(
      `\nnpm run bench:recording  (${RATE} records/s for ${SECONDS} s, ${ROUNDS} rounds; µs of CPU per record)`,
    );
    console.log(
      '  round   answering thread   database thread, streaming   database thread, moving   helper threads   written / dropped',
    );
    rounds.forEach((r, i) =>
      console.log(
        `  ${String(i + 1).padEnd(7)} ${f(r.answeringThreadUsPerRecord).padStart(16)}   ${f(r.databaseThreadStreamingUsPerRecord).padStart(26)}   ${f(r.databaseThreadMovingUsPerRecord).padStart(23)}   ${f(r.helperThreadsUsPerRecord).padStart(14)}   ${r.moved} / ${r.dropped}`,
      ),
    );
    const m = summary.median;
    console.log(
      `  median  ${f(m.answeringThreadUsPerRecord).padStart(16)}   ${f(m.databaseThreadStreamingUsPerRecord).padStart(26)}   ${f(m.databaseThreadMovingUsPerRecord).padStart(23)}   ${f(m.helperThreadsUsPerRecord).padStart(14)}`,
    );
    console.log(
      '\n  Compare with "server CPU per request" and "of which its main thread" of /ask CACHED in npm run bench.',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
