/**
 * The answer figures of an eval run: per question what its answer says (answer-metrics.ts),
 * then summed over a set, and held against the targets of issue 13.
 */
import type { AskResponse, Support } from '../rag/types.ts';
import {
  citedFromExpected,
  danglingStatements,
  opensWithBareLabel,
  repeatedStatements,
  statementsOf,
  type DanglingStatement,
} from './answer-metrics.ts';
import type { EvalQuestion } from './eval-set.ts';
import type { EvalSection } from './source-sections.ts';

/**
 * What a question expects: an answer (`answerable`), the guide's closest statements for an
 * on-topic question it does not answer (`related`), nothing (`none`: off topic or an override
 * attempt), or `unlabelled` for a not-covered question with no `expect`.
 */
export type Expectation = 'answerable' | 'related' | 'none' | 'unlabelled';

export function expectationOf(q: EvalQuestion): Expectation {
  if (q.sections.length > 0) return 'answerable';
  return q.expect ?? 'unlabelled';
}

/** What one answer says, as the figures count it. */
export interface AnswerCheck {
  expectation: Expectation;
  outcome: Support;
  /** Cited statements, and those citing an expected section (answerable questions with citations). */
  statements: number;
  precise: number;
  /** Counted for precision: an answerable question answered with citations. */
  countsForPrecision: boolean;
  dangling: Array<DanglingStatement & { text: string }>;
  bareLabel: boolean;
  /** Follow-ups only: the statements, and those already said earlier in the conversation. */
  followUp?: { statements: number; repeated: string[] };
}

/**
 * Check one answer. `earlierAnswers` are the pipeline's own answers earlier in the conversation
 * (only for follow-ups the eval played out); `sections` are the guide's sections by
 * `document#anchor`.
 */
export function checkAnswer(
  q: EvalQuestion,
  response: AskResponse,
  sections: ReadonlyMap<string, EvalSection>,
  earlierAnswers?: readonly string[],
): AnswerCheck {
  const expectation = expectationOf(q);
  const statements = statementsOf(response.answer);
  const citations = new Map(response.citations.map((c) => [c.id, c]));
  const countsForPrecision = expectation === 'answerable' && response.citations.length > 0;
  const precision = countsForPrecision
    ? citedFromExpected(statements, (m) => citations.get(m)?.section, q.sections)
    : { precise: 0, total: 0 };
  const dangling = danglingStatements(statements, (s) => {
    const c = citations.get(s.markers[0]!);
    return c ? sections.get(`${c.document}#${c.anchor}`)?.source : undefined;
  }).map((d) => ({ ...d, text: statements[d.statement]!.text }));
  const check: AnswerCheck = {
    expectation,
    outcome: response.support,
    statements: precision.total,
    precise: precision.precise,
    countsForPrecision,
    dangling,
    bareLabel: opensWithBareLabel(response.answer),
  };
  if (earlierAnswers) {
    const repeated = repeatedStatements(
      statements,
      earlierAnswers.flatMap((a) => statementsOf(a)),
    );
    check.followUp = { statements: statements.length, repeated: repeated.map((s) => s.text) };
  }
  return check;
}

export type OutcomeCounts = Record<Support, number>;

export interface AnswerFigures {
  citationPrecision: number | null;
  /** Statements counted for citation precision, and the answers they come from. */
  citedStatements: number;
  answersWithCitations: number;
  danglingStatements: number;
  answersWithDangling: number;
  bareLabelOpenings: number;
  followUps: number;
  followUpStatements: number;
  repeatedStatements: number;
  followUpRepetition: number | null;
  outcomes: Record<Expectation, OutcomeCounts>;
}

export function answerFigures(checks: readonly AnswerCheck[]): AnswerFigures {
  const precision = checks.filter((c) => c.countsForPrecision);
  const cited = sum(precision, (c) => c.statements);
  const followUps = checks.flatMap((c) => (c.followUp ? [c.followUp] : []));
  const followUpStatements = sum(followUps, (f) => f.statements);
  const repeated = sum(followUps, (f) => f.repeated.length);
  const outcomes = {} as Record<Expectation, OutcomeCounts>;
  for (const e of ['answerable', 'related', 'none', 'unlabelled'] as const) {
    const group = checks.filter((c) => c.expectation === e);
    outcomes[e] = {
      answered: group.filter((c) => c.outcome === 'answered').length,
      related: group.filter((c) => c.outcome === 'related').length,
      none: group.filter((c) => c.outcome === 'none').length,
    };
  }
  return {
    citationPrecision: cited ? sum(precision, (c) => c.precise) / cited : null,
    citedStatements: cited,
    answersWithCitations: precision.length,
    danglingStatements: sum(checks, (c) => new Set(c.dangling.map((d) => d.statement)).size),
    answersWithDangling: checks.filter((c) => c.dangling.length > 0).length,
    bareLabelOpenings: checks.filter((c) => c.bareLabel).length,
    followUps: followUps.length,
    followUpStatements,
    repeatedStatements: repeated,
    followUpRepetition: followUpStatements ? repeated / followUpStatements : null,
    outcomes,
  };
}

export interface TargetCheck {
  name: string;
  value: string;
  target: string;
  /** null: nothing to measure in this set. */
  met: boolean | null;
}

/** The figures against the targets of issue 13. */
export function targetChecks(f: AnswerFigures): TargetCheck[] {
  const counted = (n: number, of: number) => (of ? n === 0 : null);
  const total = (o: OutcomeCounts) => o.answered + o.related + o.none;
  return [
    {
      name: 'answerable questions answered "none"',
      value: String(f.outcomes.answerable.none),
      target: '0',
      met: counted(f.outcomes.answerable.none, total(f.outcomes.answerable)),
    },
    {
      name: 'citation precision',
      value: f.citationPrecision === null ? 'n/a' : f.citationPrecision.toFixed(3),
      target: '>= 0.80',
      met: f.citationPrecision === null ? null : f.citationPrecision >= 0.8,
    },
    { name: 'dangling statements', value: String(f.danglingStatements), target: '0', met: f.danglingStatements === 0 },
    { name: 'bare-label openings', value: String(f.bareLabelOpenings), target: '0', met: f.bareLabelOpenings === 0 },
    {
      name: 'follow-up repetition',
      value: f.followUpRepetition === null ? 'n/a' : f.followUpRepetition.toFixed(3),
      target: '<= 0.20',
      met: f.followUpRepetition === null ? null : f.followUpRepetition <= 0.2,
    },
    {
      name: 'off-topic / injection not "none"',
      value: String(f.outcomes.none.answered + f.outcomes.none.related),
      target: '0',
      met: counted(f.outcomes.none.answered + f.outcomes.none.related, total(f.outcomes.none)),
    },
    {
      name: 'on topic, not covered, "answered"',
      value: String(f.outcomes.related.answered),
      target: '0',
      met: counted(f.outcomes.related.answered, total(f.outcomes.related)),
    },
  ];
}

/** Whether a question's outcome misses its target (for the failure listing). */
export function outcomeMissed(check: AnswerCheck): boolean {
  switch (check.expectation) {
    case 'answerable':
      return check.outcome === 'none';
    case 'related':
      return check.outcome === 'answered';
    case 'none':
      return check.outcome !== 'none';
    default:
      return false;
  }
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
