import type { LoadedIndex } from '../index/loaded-index.ts';
import { memoised } from '../memo.ts';
import { dot } from '../vector.ts';
import { coverage, isAsked, matchesAny, type QueryTerm } from './query-terms.ts';
import { asksForList, type QuestionKind, questionKind } from './question-kind.ts';
import { contentTerms } from '../text/analyze.ts';
import { askedPhrases } from '../text/noun-phrases.ts';
import { SELF_REFERENCE, type SectionStatements, type Statement } from './statements.ts';
import { sectionCitation } from './citations.ts';
import type { Citation, Passage } from './types.ts';

/**
 * The offline answerer's composer: it chooses the guide's own statements and arranges them so
 * they read as an answer (see /shared/docs/ANSWERS.md for the shape):
 * - the first line answers the question as asked: a step for "how", a reason for "why", the
 *   skills for "what do I bring";
 * - only statements on the question's focus: list items as list items with their labels,
 *   and only the items that match, never their neighbours;
 * - one block per section, headed by its heading when more than one section speaks, the
 *   statements of a block in the guide's order, the most relevant block first;
 * - nothing dangling: a statement that leans on another comes right after it, or not at all;
 * - no promotion unless the question is about what it offers;
 * - about 120 words.
 * It writes no claim of its own: every statement is the guide's, followed by its `[n]`.
 */

export interface CompositionRequest {
  question: string;
  /** The earlier turns a follow-up carries (see condense.ts): what it is about, when it names little itself. */
  context?: string;
  passages: Passage[];
  terms: QueryTerm[];
  queryVector: Float32Array;
  /** What was said earlier in the conversation (normalised with `sameStatement`): never said again. */
  alreadySaid: string;
  /**
   * Only the closest statements to a question the guide does not answer (`related`): a short
   * answer, since none of them is what was asked.
   */
  closestOnly?: boolean;
}

export interface Composition {
  markdown: string;
  citations: Citation[];
}

const WORD_BUDGET = 120;
const LIST_WORD_BUDGET = 200;
const CLOSEST_WORD_BUDGET = 60;
const MAX_STATEMENTS = 8;
/** How many sections an answer quotes at most. */
const MAX_SECTIONS = 2;
/**
 * Below this many words the answer is short: its section says little, and another section may
 * add to it with a statement of at least this share of the best relevance.
 */
const SHORT_ANSWER_WORDS = 20;
const SHORT_ANSWER_SECTION_CUTOFF = 0.9;
/** A statement below this share of the best one's relevance is not worth adding. */
const RELATIVE_CUTOFF = 0.55;
/** How much a statement of the kind the question asks for (a step for "how") gains as the lead. */
const KIND_BONUS = 0.25;
/** Maximal marginal relevance: how much a statement's novelty counts against its relevance. */
const MMR_LAMBDA = 0.75;
/** A term this rare in the corpus names what a promotional blurb offers (common words like "product" do not). */
const PROMOTION_MIN_IDF = 1;
/** A statement of a retrieved section but outside its retrieved passages: this share of the section's score. */
const OUTSIDE_PASSAGE_SHARE = 0.85;
/** The share of a chosen statement's relevance that the statement continuing it gets. */
const CONTINUATION_SHARE = 0.8;
/** What an item of a numbered list gains as the lead of a "how" answer, over other steps. */
const LISTED_STEP_BONUS = 0.1;
/** What a statement whose label the question names gains in relevance. */
const LABEL_BONUS = 0.15;

interface Candidate {
  section: SectionStatements;
  statement: Statement;
  relevance: number;
  /** Relevance as the lead: with the bonus for being of the kind the question asks for. */
  leadScore: number;
  /** Of the kind the question asks for (a step for "how"). */
  ofKind: boolean;
  /** Rank of the best retrieved passage of its section (0 = the top passage's section). */
  sectionRank: number;
  /** Retrieval's score of the best passage of its section. */
  sectionScore: number;
  /** A list item whose label names the asker's background ("Teacher: ..." for a teacher). */
  labelNamesAsker: boolean;
  /**
   * Said earlier in the conversation: never quoted again, but still the item of its list on
   * the question's focus, so its neighbours stay out ("What skills would transfer?" after the
   * item "Teacher: Crowd control!..." was quoted does not turn to the other backgrounds' items).
   */
  said: boolean;
}

/** Compose an answer from the retrieved passages, or null when none of their statements can be quoted. */
export function composeAnswer(index: LoadedIndex, request: CompositionRequest): Composition | null {
  const kind = questionKind(request.question);
  const all = candidateStatements(index, request, kind);
  const candidates = focused(all, request.terms);
  if (candidates.length === 0) return null;
  // An item left out for being off the focus is not brought back as what another statement
  // leans on ("And that's just a portion of the possible backgrounds" after the list's last item).
  const kept = new Set(candidates);
  const offFocus = new Set(all.filter((c) => !kept.has(c)).map((c) => c.statement));
  const chosen = choose(
    candidates,
    request.closestOnly ? CLOSEST_WORD_BUDGET : asksForList(request.question) ? LIST_WORD_BUDGET : WORD_BUDGET,
    request.alreadySaid,
    offFocus,
  );
  if (chosen.size === 0) return null;
  return render(chosen);
}

/** Statements of the retrieved passages that may be quoted, each scored against the question. */
function candidateStatements(index: LoadedIndex, request: CompositionRequest, kind: QuestionKind): Candidate[] {
  const topical = request.terms.filter(isAsked);
  const background = topical.filter((t) => t.role === 'background');
  // Promotion is welcome when the question is about what it offers: a thing the question (or
  // the turn a follow-up carries) asks about by name ("Do I need a *certification*?", then
  // "Which one?"), not a verb it happens to share ("what would I need to *learn*?" and "Enroll
  // for free to learn..."). Read only when the passages hold promotion: most hold none.
  let specific: QueryTerm[] | null = null;
  const promotionWelcome = (statement: Statement) => {
    if (specific === null) {
      const named = new Set([
        ...askedPhrases(request.question).words,
        ...(request.context ? askedPhrases(request.context).words : []),
      ]);
      specific = topical.filter((t) => t.idf >= PROMOTION_MIN_IDF && named.has(t.stem));
    }
    return matchesAny(specific, statement.offer);
  };
  // What the guide says about itself answers only a question about the guide ("What does this
  // article cover?").
  const aboutTheGuide = matchesAny(topical, SELF_REFERENCE);
  const candidates: Candidate[] = [];
  // Passages come best first: a section's first passage gives its rank and score. The whole
  // section of a retrieved passage may be quoted (a statement it leans on, or a better one,
  // may sit in the passage before); statements outside the retrieved passages count for less.
  const sections = new Map<SectionStatements, { rank: number; score: number; passages: Passage[] }>();
  for (const passage of request.passages) {
    const section = index.statements.of(passage.chunk.document, passage.chunk.anchor);
    if (!section) continue;
    const entry = sections.get(section) ?? { rank: sections.size, score: passage.score, passages: [] };
    entry.passages.push(passage);
    sections.set(section, entry);
  }
  for (const [section, { rank: sectionRank, score: sectionScore, passages }] of sections) {
    for (const statement of section.statements) {
      if (!statement.standalone || statement.unquotable) continue;
      if (statement.promotional && !promotionWelcome(statement)) continue;
      if (statement.signpost && !aboutTheGuide) continue;
      const passage = passages.find((p) => statement.start >= p.chunk.start && statement.end <= p.chunk.end);
      const passageScore = passage ? passage.score : OUTSIDE_PASSAGE_SHARE * sectionScore;
      const similarity = Math.max(0, dot(request.queryVector, statement.vector));
      // A label the question names ("Teacher: ..." for a teacher) is a small heading that says
      // the statement is exactly on the question's focus.
      const namedByLabel = matchesAny(topical, statement.labelStems);
      const labelNamesAsker = namedByLabel && matchesAny(background, statement.labelStems);
      // A statement is as good as its own match to the question, lifted by how well its passage ranked.
      const relevance =
        0.45 * similarity +
        0.3 * coverage(topical, statement.stems) +
        0.25 * passageScore +
        (namedByLabel ? LABEL_BONUS : 0);
      const ofKind =
        (kind === 'how' && statement.step) ||
        (kind === 'why' && statement.reason) ||
        (kind === 'bring' && statement.skill);
      // Prose gives its steps as a numbered list: for "how", its items are the steps proper.
      const listedStep = kind === 'how' && statement.shape.kind === 'numbered' ? LISTED_STEP_BONUS : 0;
      const leadScore = Math.min(1, relevance + (ofKind ? KIND_BONUS + listedStep : 0));
      candidates.push({
        section,
        statement,
        said: wasSaid(statement, request.alreadySaid),
        relevance,
        leadScore,
        ofKind,
        sectionRank,
        sectionScore,
        labelNamesAsker,
      });
    }
  }
  return candidates;
}

/**
 * Only the list items on the question's focus, and nothing said before: an item of a source
 * list must match the question by its own words (not only through its section's heading), and
 * when some items of a list, or of a run of labelled paragraphs, match by their label
 * ("Teacher: ..." for a teacher), only those are quoted.
 */
function focused(candidates: Candidate[], terms: QueryTerm[]): Candidate[] {
  const topical = terms.filter(isAsked);
  // The words a section's heading shares with the question say what all its named items are
  // ("What skills would transfer?" and "Transferable Skills: Teacher: ..."): such an item is on
  // the focus by the other words of the question, when it has any ("I'm a nurse."), not by its
  // list's theme. Steps and unlabelled items answer by what they say.
  const itemTerms = new Map<SectionStatements, QueryTerm[]>();
  const itemTermsOf = (section: SectionStatements) =>
    memoised(itemTerms, section, () => {
      const theme = new Set(contentTerms(section.heading));
      const rest = topical.filter((t) => !matchesAny([t], theme));
      return rest.length > 0 ? rest : topical;
    });
  const labelled = new Set<string>();
  for (const c of candidates) {
    const key = itemKey(c);
    if (key !== null && matchesAny(topical, c.statement.labelStems)) labelled.add(key);
  }
  return candidates.filter((c) => {
    if (c.said) return false;
    const key = itemKey(c);
    if (key === null) return true;
    if (labelled.has(key)) return matchesAny(topical, c.statement.labelStems);
    const named = c.statement.label !== null && !c.statement.step;
    return (
      c.statement.list === undefined || coverage(named ? itemTermsOf(c.section) : topical, c.statement.ownStems) > 0
    );
  });
}

/** The list (or run of labelled paragraphs) of its section a candidate is an item of, or null. */
const itemKey = (c: Candidate): string | null => {
  const list = listOf(c.statement);
  return list === null ? null : `${c.section.document}#${c.section.anchor}#${list}`;
};

/** A chosen statement, and how relevant the statement that brought it in was. */
interface Chosen {
  section: SectionStatements;
  positions: Set<number>;
  /** The best lead score among the statements chosen for their own sake: orders the blocks. */
  score: number;
  /** Retrieval's rank and score of the section: order and score its citations. */
  sectionRank: number;
  sectionScore: number;
  /**
   * In the block holding the lead: where the lead's chain starts. The block comes first and
   * opens with that chain; what it quotes from before the lead follows, in source order.
   */
  leadStart: number | null;
}

/**
 * The lead first (the best statement as a lead, its kind counting), then the rest by relevance
 * and novelty, each with whatever it leans on, within the word budget.
 */
function choose(
  candidates: Candidate[],
  budget: number,
  alreadySaid: string,
  offFocus: ReadonlySet<Statement>,
): Map<SectionStatements, Chosen> {
  const chosen = new Map<SectionStatements, Chosen>();
  const best = Math.max(...candidates.map((c) => c.relevance));
  const kindInReach = candidates.some((c) => c.ofKind);
  // The preferred lead, else (it cannot be quoted: it leans on promotion, say) the next best
  // of its section: the section retrieval chose says something quotable, however weak, rather
  // than nothing at all.
  const preferred = leadOf(candidates);
  const leads = [
    preferred,
    ...candidates
      .filter((c) => c !== preferred && c.section === preferred.section)
      .sort((a, b) => b.leadScore - a.leadScore),
  ];
  let words = 0;
  let count = 0;
  const picked: Candidate[] = [];

  const tryAdd = (candidate: Candidate, isLead: boolean, opensSection = false): boolean => {
    const group = chosen.get(candidate.section);
    const needed = closure(candidate.section, candidate.statement.position, alreadySaid, offFocus);
    if (!needed) return false;
    const fresh = needed.filter((p) => !group?.positions.has(p));
    if (fresh.length === 0) return false;
    // The answer stays with the section it opened in: an answer that wanders over the guide
    // reads as a digest, and the next section's statements are most often about a neighbouring
    // question. Another section speaks when the lead's kind took the answer elsewhere (the top
    // section then still speaks, below), or when the answer so far is short and the other
    // section has something nearly as relevant (and of the kind asked, when the passages have
    // that kind at all: "Journalist: Great storyteller" is a whole answer to what a journalist
    // brings, not one to fill out with another section's advice), or an item the question
    // names by its label (the asker's own background, "Teacher: ..."); at most MAX_SECTIONS do.
    const joins =
      opensSection ||
      candidate.labelNamesAsker ||
      (words < SHORT_ANSWER_WORDS &&
        candidate.relevance >= SHORT_ANSWER_SECTION_CUTOFF * best &&
        (candidate.ofKind || !kindInReach));
    if (!group && count > 0 && (chosen.size >= MAX_SECTIONS || !joins)) return false;
    const extraWords = fresh.reduce((sum, p) => sum + candidate.section.statements[p]!.words, 0);
    if (count > 0 && (words + extraWords > budget || count + fresh.length > MAX_STATEMENTS)) return false;
    words += extraWords;
    count += fresh.length;
    const entry = group ?? {
      section: candidate.section,
      positions: new Set<number>(),
      score: 0,
      leadStart: null,
      sectionRank: candidate.sectionRank,
      sectionScore: candidate.sectionScore,
    };
    for (const p of fresh) entry.positions.add(p);
    entry.score = Math.max(entry.score, candidate.leadScore);
    if (isLead) entry.leadStart = needed[0]!;
    chosen.set(candidate.section, entry);
    picked.push(candidate);
    return true;
  };

  // A statement that continues a chosen one ("First of all, it fills in the gaps..." after
  // "Getting certified is a great step, for a number of reasons.") shares its relevance.
  const effectiveRelevance = (c: Candidate) => {
    const group = chosen.get(c.section);
    const continues =
      group !== undefined && c.statement.leaning === 'previous' && group.positions.has(c.statement.position - 1);
    return continues ? Math.max(c.relevance, CONTINUATION_SHARE * group.score) : c.relevance;
  };
  const lead = leads.find((candidate) => tryAdd(candidate, true));
  if (!lead) return chosen;
  // A lead of the asked kind may come from the next section; the section retrieval ranks
  // first still speaks, with its best statement.
  // (Not in a follow-up: the top section is then most often the one the conversation already had.)
  const topRank = Math.min(...candidates.map((c) => c.sectionRank));
  if (lead.sectionRank !== topRank && alreadySaid === '') {
    const top = candidates.filter((c) => c.sectionRank === topRank);
    if (top.length)
      tryAdd(
        top.reduce((a, b) => (b.relevance > a.relevance ? b : a)),
        false,
        true,
      );
  }
  // Below the cutoff, only a statement that may come to continue a chosen one stays in the pool.
  const pool = candidates.filter(
    (c) => c !== lead && (c.relevance >= RELATIVE_CUTOFF * best || c.statement.leaning === 'previous'),
  );
  // Each pooled statement's highest similarity to a picked one, folded in as statements are picked.
  const redundancy = new Map(pool.map((c) => [c, 0]));
  let folded = 0;
  while (pool.length > 0 && words < budget && count < MAX_STATEMENTS) {
    for (; folded < picked.length; folded++) {
      const vector = picked[folded]!.statement.vector;
      for (const c of pool) redundancy.set(c, Math.max(redundancy.get(c)!, dot(vector, c.statement.vector)));
    }
    let pick = -1;
    let pickScore = -Infinity;
    pool.forEach((c, i) => {
      const relevance = effectiveRelevance(c);
      if (relevance < RELATIVE_CUTOFF * best) return;
      const score = MMR_LAMBDA * relevance - (1 - MMR_LAMBDA) * redundancy.get(c)!;
      if (score > pickScore) {
        pickScore = score;
        pick = i;
      }
    });
    if (pick < 0) break;
    const [candidate] = pool.splice(pick, 1);
    tryAdd(candidate!, false);
  }
  return chosen;
}

/**
 * The statement the answer opens with: from the section retrieval ranks first, or, when that
 * section has nothing of the kind the question asks for (no step for a "how"), from the next
 * section that has. Retrieval judges which section answers best; the kind of question judges
 * which of its statements reads as the answer.
 */
function leadOf(candidates: Candidate[]): Candidate {
  const best = (list: Candidate[]) => list.reduce((a, b) => (b.leadScore > a.leadScore ? b : a));
  const topSection = Math.min(...candidates.map((c) => c.sectionRank));
  const top = candidates.filter((c) => c.sectionRank === topSection);
  const mostRelevant = Math.max(...candidates.map((c) => c.relevance));
  // Of the kind asked for, but not worth quoting at all, is no lead: a "because" of another
  // subject does not answer a "why".
  const ofKind = (c: Candidate) => c.ofKind && c.relevance >= RELATIVE_CUTOFF * mostRelevant;
  if (top.some(ofKind)) return best(top.filter(ofKind));
  const nextOfKind = candidates.filter((c) => ofKind(c) && c.sectionRank === topSection + 1);
  return nextOfKind.length ? best(nextOfKind) : best(top);
}

/**
 * A statement and everything it leans on, in source order; null when something it needs
 * cannot be quoted (a link, promotion, a list item off the question's focus, or a statement
 * already said: quoting the rest again would leave it dangling or repeat it).
 */
function closure(
  section: SectionStatements,
  position: number,
  alreadySaid: string,
  offFocus: ReadonlySet<Statement>,
): number[] | null {
  const out = new Set<number>();
  const visit = (p: number, needed: boolean): boolean => {
    if (out.has(p)) return true;
    const statement = section.statements[p]!;
    const excluded = statement.promotional || offFocus.has(statement) || wasSaid(statement, alreadySaid);
    if (statement.unquotable || (needed && excluded)) return false;
    out.add(p);
    return statement.needs.every((n) => visit(n, true));
  };
  return visit(position, false) ? [...out].sort((a, b) => a - b) : null;
}

/**
 * Markdown: blocks in reading order (the lead's first, then by relevance), each after the first
 * headed by its section heading when more than one section speaks; statements in source
 * order, list items as list items with their labels in bold, each statement followed by its
 * marker. One citation per run of consecutive statements, quoting exactly that run. Citations
 * are numbered by relevance, as the contract orders them: by retrieval's rank of their
 * section, then in reading order, so the reading order may open on a later number.
 */
function render(chosen: Map<SectionStatements, Chosen>): Composition {
  const isLead = (g: Chosen) => g.leadStart !== null;
  const groups = [...chosen.values()].sort((a, b) => Number(isLead(b)) - Number(isLead(a)) || b.score - a.score);
  const runs = groups.flatMap((group) => runsOf(group));
  // Stable: within a section, runs keep their reading order.
  const byRelevance = [...runs].sort((a, b) => a.group.sectionRank - b.group.sectionRank);
  const idOf = new Map(byRelevance.map((run, i) => [run, i + 1]));
  const citations = byRelevance.map((run, i) => {
    const { section, sectionScore } = run.group;
    return sectionCitation(
      section,
      i + 1,
      section.source,
      section.text.slice(run.first.start, run.last.end),
      sectionScore,
    );
  });

  const blocks = groups.map((group, g) => {
    // A paragraph per block of the source, a line per list item.
    const lines: Array<{ text: string; list: string | null }> = [];
    let previous: Statement | null = null;
    for (const run of runs.filter((r) => r.group === group)) {
      for (const statement of run.statements) {
        const marked = `${formatStatement(statement)} [${idOf.get(run)}]`;
        if (previous?.block === statement.block) lines[lines.length - 1]!.text += ` ${marked}`;
        else lines.push({ text: `${listPrefix(statement)}${marked}`, list: listOf(statement) });
        previous = statement;
      }
    }
    let text = groups.length > 1 && g > 0 ? `**${escapeMarkdown(group.section.heading)}**\n` : '';
    lines.forEach((line, i) => {
      // Items of one list stay together; anything else is its own paragraph.
      if (i > 0) text += line.list !== null && line.list === lines[i - 1]!.list ? '\n' : '\n\n';
      text += line.text;
    });
    return text;
  });
  return { markdown: blocks.join('\n\n'), citations };
}

interface Run {
  group: Chosen;
  statements: Statement[];
  first: Statement;
  last: Statement;
}

/**
 * A group's statements cut into runs of consecutive ones, in source order; in the lead's
 * group, the runs from the lead's chain on come first.
 */
function runsOf(group: Chosen): Run[] {
  const runs: Run[] = [];
  const start = group.leadStart ?? 0;
  const positions = [...group.positions].sort((a, b) => a - b);
  const ordered = [...positions.filter((p) => p >= start), ...positions.filter((p) => p < start)];
  for (const position of ordered) {
    const statement = group.section.statements[position]!;
    const run = runs.at(-1);
    if (run && run.last.position === position - 1 && position !== start) {
      run.statements.push(statement);
      run.last = statement;
    } else {
      runs.push({ group, statements: [statement], first: statement, last: statement });
    }
  }
  return runs;
}

function listPrefix(statement: Statement): string {
  if (statement.shape.kind === 'numbered') return `${statement.shape.ordinal}. `;
  // A labelled paragraph ("Start a conversation: ...") is one of a run of such items, written
  // as paragraphs: quoted as the list item it is, never as a bare "Label:" line.
  if (statement.shape.kind === 'bullet' || statement.label) return '- ';
  return '';
}

/** Which list a statement is an item of: a list of the source, or the run of labelled paragraphs it is in. */
function listOf(statement: Statement): string | null {
  if (statement.list !== undefined) return `list ${statement.list}`;
  return statement.label ? 'labelled' : null;
}

/** The statement as Markdown: its label in bold ("**Teacher**: Crowd control! ..."). */
function formatStatement(statement: Statement): string {
  if (!statement.label) return escapeMarkdown(statement.text);
  const body = statement.text.slice(statement.text.indexOf(':') + 1).trim();
  return `**${escapeMarkdown(statement.label)}**: ${escapeMarkdown(body)}`;
}

/**
 * Corpus text is plain text, quoted into Markdown: a "[2]" of its own would read as a
 * citation marker, and asterisks as emphasis. Both are written so they stay text.
 */
function escapeMarkdown(text: string): string {
  return text.replace(/\[(\d{1,3})\]/g, '($1)').replace(/\*\*/g, '∗∗');
}

/**
 * Text normalised for comparing what was said across turns: markers, emphasis, list markers,
 * case and spacing do not make a statement new.
 */
export function sameStatement(text: string): string {
  return text
    .replace(/\*\*/g, '')
    .replace(/\s*\[\d{1,3}\]/g, '')
    .replace(/^\s*(?:[-*]|\d+\.)\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const wasSaid = (statement: Statement, alreadySaid: string) =>
  alreadySaid !== '' && alreadySaid.includes(sameStatement(statement.text));
