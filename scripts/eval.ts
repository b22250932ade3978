/**
 * npm run eval [-- --json] [-- --file holdout.jsonl[,blind.jsonl]] [-- --calibrate] [-- --explain]
 *
 * Runs the evaluation questions through the real pipeline (the current index, the answer
 * mode the configuration selects): every eval/*.jsonl set by default, or those --file names.
 * For each set and in total it prints section accuracy, MRR, abstention precision and recall,
 * citation validity, what the answers say (citation precision, dangling statements, bare-label
 * openings, follow-up repetition, outcome counts; see src/eval/answer-figures.ts) against the
 * targets, and every failure. Follow-up items (`"followUp": true`) are played out: the
 * history's user turns are asked first and the real answers kept. --calibrate sweeps the
 * abstention threshold over the retrieval support of all the questions run. --explain prints,
 * instead of figures, each question's words with their evidence and role, and its outcome
 * with the reason (src/eval/explain.ts).
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import MiniSearch, { type Options } from 'minisearch';
import { loadConfig, resolveAnswerMode } from '../src/config.ts';
import {
  answerFigures,
  checkAnswer,
  outcomeMissed,
  targetChecks,
  type AnswerCheck,
  type AnswerFigures,
  type OutcomeCounts,
  type TargetCheck,
} from '../src/eval/answer-figures.ts';
import { readEvalSet, type EvalQuestion } from '../src/eval/eval-set.ts';
import { evalSections } from '../src/eval/source-sections.ts';
import { LEXICAL_ANALYSIS } from '../src/index/lexical-index.ts';
import { loadCurrentGeneration, localOnlyQueryEmbedder } from '../src/index/load-generation.ts';
import type { LoadedIndex } from '../src/index/loaded-index.ts';
import { answerOnce, extractiveQuery } from '../src/rag/answer-question.ts';
import { markersIn } from '../src/rag/citations.ts';
import { retrieve } from '../src/rag/retrieve.ts';
import { asksToOverrideInstructions } from '../src/rag/instruction-override.ts';
import {
  combineSignals,
  passagesAnswerType,
  retrievalSupport,
  SUPPORT_THRESHOLD,
  SUPPORT_WEIGHTS,
  supportSignals,
  type SupportSignals,
} from '../src/rag/support.ts';
import type { AskResponse, ChatTurn } from '../src/rag/types.ts';
import { DEFAULT_K } from '../src/http-contract.ts';
import { explainQuestion } from '../src/eval/explain.ts';

const EVAL_DIR = 'eval';
const args = process.argv.slice(2);
const json = args.includes('--json');
const calibrate = args.includes('--calibrate');
const explain = args.includes('--explain');
const fileArg = args.includes('--file') ? args[args.indexOf('--file') + 1] : undefined;

interface Outcome {
  q: EvalQuestion;
  response: AskResponse;
  support: number;
  /** Declined whatever the support: the question asks for an amount no passage states, or a choice between alternatives no passage names (answer-type.ts). */
  answerTypeUnmet: boolean;
  /** Declined before retrieval: the question asks to override the assistant (instruction-override.ts). */
  overrideAttempt: boolean;
  /** The signals support combines, for --calibrate. */
  signals: SupportSignals;
  rank: number; // 1-based rank of the first citation from an expected section, 0 if none
  citationProblems: string[];
  /** What the answer says (citation precision, dangling statements, ...). */
  check: AnswerCheck;
}

type Sections = ReturnType<typeof evalSections>;

async function main(): Promise<void> {
  const startedAt = performance.now();
  const config = loadConfig(process.env);
  const index = await loadCurrentGeneration(config.INDEX_DIR, localOnlyQueryEmbedder);
  if (!index) throw new Error(`no index in ${config.INDEX_DIR}: run npm run ingest first`);
  const mode = resolveAnswerMode(config);
  if (mode !== 'extractive')
    throw new Error(
      'npm run eval measures the embedded default; unset OPENAI_API_KEY / OPENAI_BASE_URL or set ANSWERS=extractive',
    );
  const files = await evalFiles(fileArg);
  const sets = await Promise.all(files.map(async (file) => ({ file, questions: await readEvalSet(file) })));
  const sections = evalSections(index.documents.values());

  const reports: SetReport[] = [];
  const all: Outcome[] = [];
  for (const set of sets) {
    const outcomes: Outcome[] = [];
    if (explain) {
      console.log(`${set.file}:`);
      for (const q of set.questions) console.log(await explainQuestion(index, q.id, q.question, q.history));
      continue;
    }
    for (const q of set.questions) outcomes.push(await evaluate(index, q, sections));
    all.push(...outcomes);
    reports.push(setReport(set.file, outcomes, index));
  }
  const total = setReport('total', all, index);
  const calibration = calibrate ? calibrateThreshold(all) : undefined;
  const seconds = round((performance.now() - startedAt) / 1000);

  if (json) {
    const { failures: _failures, ...totalFigures } = total;
    console.log(JSON.stringify({ sets: reports, total: totalFigures, calibration, seconds }));
    return;
  }
  for (const report of reports) printReport(report, true);
  if (reports.length > 1) printReport(total, false);
  console.log(`\nTargets (${reports.length > 1 ? 'all sets' : reports[0]?.file}):`);
  for (const t of total.targets) {
    console.log(`  ${verdict(t)}  ${t.name.padEnd(36)} ${t.value.padStart(6)}   (target ${t.target})`);
  }
  if (calibration) console.log(`\nCalibration: ${JSON.stringify(calibration)}`);
  console.log(`\n${all.length} questions in ${reports.length} set(s), ${seconds} s`);
}

/** The sets to run: those --file names (a bare name is looked up in eval/ too), else every eval/*.jsonl. */
async function evalFiles(list: string | undefined): Promise<string[]> {
  if (list === undefined) {
    if (args.includes('--file')) throw new Error('--file needs a comma-separated list of .jsonl files');
    const names = (await readdir(EVAL_DIR)).filter((f) => f.endsWith('.jsonl')).sort();
    return names.map((f) => join(EVAL_DIR, f));
  }
  return list
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => (existsSync(f) || !existsSync(join(EVAL_DIR, f)) ? f : join(EVAL_DIR, f)));
}

/** One question through the pipeline; a follow-up item first plays out its user turns. */
async function evaluate(index: LoadedIndex, q: EvalQuestion, sections: Sections): Promise<Outcome> {
  let history: ChatTurn[] | undefined = q.history;
  let earlierAnswers: string[] | undefined;
  if (q.followUp) {
    history = [];
    earlierAnswers = [];
    for (const turn of q.history ?? []) {
      const earlier = await ask(index, turn.content, history);
      history = [...history, turn, { role: 'assistant', content: earlier.answer }];
      earlierAnswers.push(earlier.answer);
    }
  }
  const response = await ask(index, q.question, history);
  const query = extractiveQuery(q.question, history);
  const retrieval = await retrieve(index, query, DEFAULT_K);
  return {
    q,
    response,
    support: retrievalSupport(retrieval.passages, retrieval.terms),
    answerTypeUnmet: !passagesAnswerType(query.text, retrieval.passages, retrieval.terms),
    overrideAttempt: asksToOverrideInstructions(q.question),
    signals: supportSignals(retrieval.passages, retrieval.terms),
    rank: response.citations.findIndex((c) => q.sections.includes(c.section)) + 1,
    citationProblems: checkCitations(response, sections),
    check: checkAnswer(q, response, sections, earlierAnswers),
  };
}

function ask(index: LoadedIndex, question: string, history: ChatTurn[] | undefined): Promise<AskResponse> {
  return answerOnce(index, { question, history }, { mode: 'extractive' }, AbortSignal.timeout(10_000));
}

type SetReport = ReturnType<typeof setReport>;

function setReport(file: string, outcomes: Outcome[], index: LoadedIndex) {
  const answerable = outcomes.filter((o) => o.q.sections.length > 0);
  const uncovered = outcomes.filter((o) => o.q.sections.length === 0);
  const abstained = outcomes.filter((o) => !o.response.grounded);
  const truePositives = abstained.filter((o) => o.q.sections.length === 0).length;
  const answers: AnswerFigures = answerFigures(outcomes.map((o) => o.check));
  const metrics = {
    file,
    questions: outcomes.length,
    answerable: answerable.length,
    notCovered: uncovered.length,
    top1: ratio(answerable.filter((o) => o.rank === 1).length, answerable.length),
    top3: ratio(answerable.filter((o) => o.rank >= 1 && o.rank <= 3).length, answerable.length),
    mrr: ratio(
      answerable.reduce((sum, o) => sum + (o.rank ? 1 / o.rank : 0), 0),
      answerable.length,
    ),
    abstentionPrecision: ratio(truePositives, abstained.length),
    abstentionRecall: ratio(truePositives, uncovered.length),
    citationValidity: ratio(outcomes.filter((o) => o.citationProblems.length === 0).length, outcomes.length),
    threshold: SUPPORT_THRESHOLD,
    declinedOnlyByAnswerType: outcomes.filter(
      (o) => o.answerTypeUnmet && !o.overrideAttempt && o.support >= SUPPORT_THRESHOLD,
    ).length,
    declinedOnlyAsOverride: outcomes.filter((o) => o.overrideAttempt && o.support >= SUPPORT_THRESHOLD).length,
    baselineBm25Top1: plainBm25Top1(
      index,
      answerable.map((o) => o.q),
    ),
    baselineStemmedBm25Top1: plainBm25Top1(
      index,
      answerable.map((o) => o.q),
      LEXICAL_ANALYSIS,
    ),
    answers,
    targets: targetChecks(answers),
  };
  const failures = outcomes.filter(failed).map((o) => ({
    id: o.q.id,
    question: o.q.question,
    expected: o.q.sections,
    expect: o.q.sections.length ? 'answered' : (o.q.expect ?? 'abstained'),
    outcome: o.response.support,
    got: o.response.grounded ? o.response.citations.map((c) => c.section) : 'abstained',
    support: round(o.support),
    answerTypeUnmet: o.answerTypeUnmet,
    overrideAttempt: o.overrideAttempt,
    problems: o.citationProblems,
    dangling: o.check.dangling.map((d) => ({ statement: d.text, leansOn: d.leaning, reason: d.reason })),
    bareLabel: o.check.bareLabel ? o.response.answer.split('\n').find((l) => l.trim()) : undefined,
    repeated: o.check.followUp?.repeated ?? [],
  }));
  return { ...metrics, failures };
}

function failed(o: Outcome): boolean {
  if (o.citationProblems.length > 0 || o.check.dangling.length > 0 || o.check.bareLabel) return true;
  if (o.check.followUp && o.check.followUp.repeated.length > 0) return true;
  if (o.q.sections.length > 0) return o.rank !== 1 || outcomeMissed(o.check);
  return o.q.expect ? outcomeMissed(o.check) : o.response.grounded;
}

function printReport(report: SetReport, withFailures: boolean): void {
  const a = report.answers;
  const label = report.file === 'total' ? 'Total over all sets' : `Evaluation of ${report.file}`;
  const counts = `${report.answerable} answerable, ${report.notCovered} not covered`;
  console.log(`\n${label}: ${report.questions} questions (${counts})`);
  const orNa = (x: number | null) => (x === null ? '  n/a' : x.toFixed(3));
  const rows: Array<[string, string, string?]> = [
    ['top-1 section accuracy', report.top1.toFixed(3), 'target >= 0.90'],
    ['top-3 section accuracy', report.top3.toFixed(3), 'target 1.00'],
    ['MRR', report.mrr.toFixed(3)],
    ['abstention precision', report.abstentionPrecision.toFixed(3), 'target >= 0.90'],
    ['abstention recall', report.abstentionRecall.toFixed(3), 'target >= 0.90'],
    ['citation validity', report.citationValidity.toFixed(3), 'target 1.000'],
    ['support threshold', String(SUPPORT_THRESHOLD)],
    [
      'declined by answer type',
      String(report.declinedOnlyByAnswerType),
      'supported, but asked for an amount no passage states or a choice the guide never names',
    ],
    [
      'declined as override',
      String(report.declinedOnlyAsOverride),
      "supported, but asked to override the assistant's instructions",
    ],
    [
      'baseline: plain BM25 top-1',
      report.baselineBm25Top1.toFixed(3),
      'MiniSearch defaults over the same passages, the question as typed',
    ],
    [
      'baseline: BM25 with stemming and stop words top-1',
      report.baselineStemmedBm25Top1.toFixed(3),
      'same, with the analyzer the hybrid uses',
    ],
    [
      'citation precision',
      orNa(a.citationPrecision),
      `target >= 0.80; ${a.citedStatements} statements in ${a.answersWithCitations} answers`,
    ],
    ['dangling statements', String(a.danglingStatements), `target 0; in ${a.answersWithDangling} answers`],
    ['bare-label openings', String(a.bareLabelOpenings), 'target 0'],
    [
      'follow-up repetition',
      orNa(a.followUpRepetition),
      a.followUps
        ? `target <= 0.20; ${a.repeatedStatements} of ${a.followUpStatements} statements in ${a.followUps} follow-ups`
        : 'target <= 0.20; no follow-up items in this set',
    ],
  ];
  for (const [name, value, note] of rows) console.log(`  ${name.padEnd(24)} ${value}${note ? `   (${note})` : ''}`);
  printOutcomes(a.outcomes);
  const missed = report.targets.filter((t) => t.met === false).map((t) => t.name);
  console.log(`  targets missed           ${missed.length ? missed.join('; ') : 'none'}`);
  if (withFailures && report.failures.length > 0) printFailures(report);
}

function printOutcomes(o: AnswerFigures['outcomes']): void {
  console.log('  outcomes                            answered  related     none');
  const row = (name: string, c: OutcomeCounts, target: string) => {
    const cells = [c.answered, c.related, c.none].map((n) => String(n).padStart(8)).join(' ');
    console.log(`    ${name.padEnd(32)} ${cells}   (${target})`);
  };
  row('answerable', o.answerable, 'target: none 0');
  row('on topic, not covered', o.related, 'target: answered 0');
  row('off topic / injection', o.none, 'target: all none');
  const unlabelled = o.unlabelled.answered + o.unlabelled.related + o.unlabelled.none;
  if (unlabelled > 0) row('not covered, unlabelled', o.unlabelled, 'no "expect"');
}

function printFailures(report: SetReport): void {
  console.log(`\nFailures in ${report.file} (${report.failures.length}):`);
  for (const f of report.failures) {
    const flags = [
      f.answerTypeUnmet ? ', asks for an amount or a choice the guide does not give' : '',
      f.overrideAttempt ? ', an override attempt' : '',
    ].join('');
    const lines = [
      `  ${f.id} [support ${f.support}${flags}] ${f.question}`,
      `      expected ${JSON.stringify(f.expected)} (${f.expect})`,
      `      got      ${JSON.stringify(f.got)} (${f.outcome})`,
    ];
    if (f.problems.length) lines.push(`      problems ${f.problems.join('; ')}`);
    for (const d of f.dangling) {
      const what = d.leansOn === 'list' ? 'list' : 'sentence';
      lines.push(`      dangling ${JSON.stringify(d.statement)} (leans on the ${what} before it: ${d.reason})`);
    }
    if (f.bareLabel) lines.push(`      opens with a bare label: ${JSON.stringify(f.bareLabel)}`);
    for (const r of f.repeated) lines.push(`      repeats  ${JSON.stringify(r)}`);
    console.log(lines.join('\n'));
  }
}

const verdict = (t: TargetCheck) => (t.met === null ? 'n/a ' : t.met ? 'MET ' : 'MISS');

/** Every marker resolves, every citation is referred to, every quote is in its section. */
function checkCitations(response: AskResponse, sections: Sections): string[] {
  const problems: string[] = [];
  const ids = new Set(response.citations.map((c) => c.id));
  const used = new Set(markersIn(response.answer));
  for (const n of used) if (!ids.has(n)) problems.push(`marker [${n}] has no citation`);
  for (const c of response.citations) {
    if (!used.has(c.id)) problems.push(`citation ${c.id} is never referred to`);
    const text = sections.get(`${c.document}#${c.anchor}`)?.text;
    if (!text || !collapse(text).includes(collapse(c.quote)))
      problems.push(`citation ${c.id} quote is not in section "${c.section}"`);
  }
  if (!response.grounded && response.citations.length > 0) problems.push('abstained answer has citations');
  return problems;
}

/**
 * Grid search over the support weights and threshold (support = coverage + a * similarity
 * - b * unknown share - c * loose share, see src/rag/support.ts), maximising abstention F1 on
 * this set; ties go to the threshold with the widest margin to the nearest question, then to
 * smaller weights.
 */
function calibrateThreshold(all: Outcome[]) {
  const positives = all.filter((o) => o.q.sections.length === 0).length;
  // Questions the answer-type check or the override check declines are declined at any
  // threshold: they count as abstentions but do not move it.
  const declined = all.filter((o) => o.answerTypeUnmet || o.overrideAttempt);
  const declinedRight = declined.filter((o) => o.q.sections.length === 0).length;
  const outcomes = all.filter((o) => !o.answerTypeUnmet && !o.overrideAttempt);
  let best = { similarity: 0, unknown: 0, loose: 0, threshold: 0, f1: -1, precision: 0, recall: 0, margin: -1 };
  for (const similarity of [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3]) {
    for (const unknown of [0, 0.25, 0.5, 0.75, 1, 1.5, 2])
      for (const loose of [0, 0.25, 0.5, 0.75, 1]) {
        const scored = outcomes
          .map((o) => ({ o, s: combineSignals(o.signals, { similarity, unknown, loose }) }))
          .sort((x, y) => x.s - y.s);
        for (let i = 0; i < scored.length - 1; i++) {
          const threshold = (scored[i]!.s + scored[i + 1]!.s) / 2;
          const margin = (scored[i + 1]!.s - scored[i]!.s) / 2;
          const abstain = scored.slice(0, i + 1);
          const tp = abstain.filter((x) => x.o.q.sections.length === 0).length + declinedRight;
          const precision = tp / (abstain.length + declined.length);
          const recall = positives ? tp / positives : 0;
          const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
          if (f1 > best.f1 + 1e-9 || (Math.abs(f1 - best.f1) < 1e-9 && margin > best.margin + 1e-9)) {
            best = { similarity, unknown, loose, threshold, f1, precision, recall, margin };
          }
        }
      }
  }
  // best stays unrounded while searching: a rounded best would let an equal F1 or a smaller
  // margin win on rounding alone. The threshold is reported to 4 places, enough to fall
  // between the same two questions (margin above 0.00005).
  const report = {
    ...best,
    threshold: Math.round(best.threshold * 1e4) / 1e4,
    f1: round(best.f1),
    precision: round(best.precision),
    recall: round(best.recall),
    margin: Math.round(best.margin * 1e4) / 1e4,
  };
  return { best: report, current: { ...SUPPORT_WEIGHTS, threshold: SUPPORT_THRESHOLD } };
}

/** The reference points the hybrid has to beat: BM25 alone over the passages, no expansion, with the library's default analysis or with ours. */
function plainBm25Top1(
  index: LoadedIndex,
  questions: EvalQuestion[],
  analysis: Pick<Options, 'tokenize' | 'processTerm'> = {},
): number {
  const bm25 = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], ...analysis });
  bm25.addAll(index.chunks.map((chunk, id) => ({ id, text: chunk.text })));
  const hits = questions.filter((q) => {
    const top = bm25.search(q.question)[0];
    return top !== undefined && q.sections.includes(index.chunks[Number(top.id)]!.section);
  });
  return ratio(hits.length, questions.length);
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const round = (x: number) => Math.round(x * 1000) / 1000;
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

main().catch((error: Error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
