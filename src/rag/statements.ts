import { lexicalHeading, passageLabel } from '../corpus/embedding-text.ts';
import type { BlockKind } from '../corpus/markdown-text.ts';
import { sentenceSpans } from '../corpus/sentences.ts';
import { splitSections } from '../corpus/split-sections.ts';
import type { Chunk, Section } from '../corpus/types.ts';
import type { LocalEmbeddings } from '../embeddings/local-embeddings.ts';
import type { StoredDocument } from '../index/loaded-index.ts';
import { contentTerms, words } from '../text/analyze.ts';
import { type CorpusMoves, corpusMoves } from '../text/destinations.ts';
import {
  announcesList,
  isPromotional,
  type Leaning,
  leaningOf,
  setsUpWhatFollows,
  signposts,
} from '../text/discourse.ts';

/**
 * The statements of a section, as the extractive composer quotes them: sentences, or a short
 * labelled list item kept whole ("Teacher: Crowd control! The voice of reason..."), each
 * with what it needs before it to be read (the sentence it continues, the list it refers
 * to, the sentence that introduces its list) and what it is (a step, a reason, promotion).
 */
export interface Statement {
  /** Position in its section's statement list (source order). */
  position: number;
  /** Character offsets within the section text. */
  start: number;
  end: number;
  text: string;
  /** Which block of the section it is in, and that block's shape. */
  block: number;
  shape: BlockKind;
  /** The list it is an item of (per section), if it is a list item. */
  list?: number;
  /** "Pilot" of "Pilot: Calm under pressure.", when the statement opens its block with a label. */
  label: string | null;
  leaning: Leaning;
  /** Positions that must come right before it in an answer (empty for a statement that stands alone). */
  needs: readonly number[];
  /** Good enough to be chosen on its own merit (long enough, not a list announcement). */
  standalone: boolean;
  /** Carries a link or markup: never quoted, and neither is anything that needs it. */
  unquotable: boolean;
  promotional: boolean;
  /** For promotion: stems of what it offers (see markOffers); empty otherwise. */
  offer: ReadonlySet<string>;
  /** About the text itself ("We'll dive deep into...", "But first, a quick word of advice."): see signposts. */
  signpost: boolean;
  step: boolean;
  reason: boolean;
  skill: boolean;
  /** Content stems of the statement under its section heading. */
  stems: ReadonlySet<string>;
  /** Content stems of the statement's own words (for a list item: what sets it apart from its neighbours). */
  ownStems: ReadonlySet<string>;
  labelStems: ReadonlySet<string>;
  vector: Float32Array;
  words: number;
}

export interface SectionStatements {
  /** The document it belongs to, for citations' links. */
  source: StoredDocument | undefined;
  document: string;
  heading: string;
  anchor: string;
  text: string;
  statements: Statement[];
}

/** Interrogatives that titles open with ("How to..."): they name no topic. */
const QUESTION_WORDS: ReadonlySet<string> = new Set(['how', 'what', 'why', 'when', 'where', 'which', 'who']);
/** What a reader calls the corpus itself ("what does this guide cover?"): a question about it is on topic. */
export const SELF_REFERENCE: ReadonlySet<string> = new Set(contentTerms('guide article document page post'));
const CLOSES_SENTENCE = /[.!?…]["'”’)\]]*$/;
/** Sentences shorter than this carry no answer on their own ("That's great!"). */
const MIN_WORDS = 6;
/** A labelled list item up to this length is one statement: split, its second sentence would lose its subject. */
const LABELLED_ITEM_MAX_CHARS = 300;
/**
 * Never quoted in an answer: answers contain no link that could phish or exfiltrate (a
 * corpus file may carry injected text), and the reader can still open the source itself.
 */
const CARRIES_LINK = /(?:https?:|ftp:|data:|javascript:|www\.|\/\/[\w-]+\.|<[a-z!/]|!\[|\]\()/i;

/**
 * What a statement is, in general English. A step tells the reader what to do: an item of a
 * numbered list, an imperative ("Reach out to a PM", "Start a conversation:"), or advice
 * addressed to them ("you could", "it's recommended that you"). A reason explains. A skill
 * statement says what someone is good at or brings.
 */
const ADVICE =
  /\b(?:you (?:can|could|should|might (?:try|want|need|consider)|may want to|need to|have to|must|will need to|'ll need to|’ll need to)|(?:it['’]s|it is) (?:recommended|best|worth|a good idea|wise)|see if you can|make sure|try to|try getting)\b/i;
const IMPERATIVE =
  /^([a-z]+)\s+(?:the|a|an|to|out|up|your|yourself|in|on|with|certified|if|for|it|them|some|more|what|how|time|sure)\b/i;
const NOT_IMPERATIVE_ENDINGS = /(?:s|ing|ed|ly)$/i;
const REASON =
  /\b(?:because|since|so that|the reason|which is why|this is why|that's why|due to|thanks to|for (?:a number of|several|many) reasons|as (?:they|you|it|both|we)\b)/i;
const SKILL =
  /\b(?:skills?|strengths?|abilit(?:y|ies)|great at|good at|adept|expert|wiz|experience (?:in|with)|understanding of|already (?:know|have)|knowledge|empathy)\b/i;

/** The statements of one document's sections, built once per section of a loaded index (see IndexStatements). */
export function sectionStatements(section: Section, embedder: LocalEmbeddings): Statement[] {
  const statements: Statement[] = [];
  const listIntro = new Map<number, number>();
  const listItems = new Map<number, number[]>();
  let lastList: number | undefined;

  section.blocks.forEach((block, blockIndex) => {
    const blockText = section.text.slice(block.start, block.end);
    const spans = sentenceSpans(section.text, block);
    if (spans.length === 0) return;
    const label = passageLabel(blockText);
    // A labelled item is quoted whole; a long labelled paragraph keeps its label on its first sentence.
    const units =
      label && blockText.length <= LABELLED_ITEM_MAX_CHARS
        ? [{ start: spans[0]!.start, end: spans.at(-1)!.end }]
        : spans;
    // Promotion comes in blocks: a course card's title line, then its blurb ("Enroll for
    // free..."). One promotional sentence makes its block promotional, and a title-like
    // promotional block (no closing punctuation) makes the blurb after it promotional too.
    const previous = statements.at(-1);
    const promotionalBlock =
      units.some((u) => isPromotional(section.text.slice(u.start, u.end))) ||
      (previous !== undefined &&
        previous.block === blockIndex - 1 &&
        previous.promotional &&
        !/[.!?]["'”’)]*$/.test(previous.text));
    if (block.list !== undefined && block.list !== lastList) {
      // The sentence right before a list that ends in a colon introduces it ("two main ways:").
      if (previous && previous.block === blockIndex - 1 && announcesList(previous.text))
        listIntro.set(block.list, previous.position);
    }
    lastList = block.list ?? lastList;

    // Whether the unit before, in this block, sets up the next one.
    let setUpByPrevious = false;
    units.forEach((unit, i) => {
      const text = section.text.slice(unit.start, unit.end);
      const ownLabel = i === 0 ? label : null;
      const body = ownLabel ? text.slice(text.indexOf(':') + 1).trim() : text;
      const position = statements.length;
      const leaning = ownLabel ? 'none' : leaningOf(body);
      const needs: number[] = [];
      // Leaning on something before the section ("These are just the most common paths..."
      // opening it) cannot be satisfied within the section: such a statement is never quoted.
      const orphan = leaning !== 'none' && position === 0;
      if (leaning === 'previous' && position > 0) needs.push(position - 1);
      // A hypothetical is read with the sentence it sets up ("let's say you're a digital
      // marketer..."), and that sentence with it: "It's recommended that you transfer to a
      // marketing role" is advice for that marketer, not for every reader.
      if (setUpByPrevious && !needs.includes(position - 1)) needs.push(position - 1);
      setUpByPrevious = setsUpWhatFollows(body) && i < units.length - 1;
      if (setUpByPrevious) needs.push(position + 1);
      if (leaning === 'list' && lastList !== undefined && block.list === undefined) {
        // "The first option...": every item of the list before it, and what introduces that list.
        const intro = listIntro.get(lastList);
        if (intro !== undefined) needs.push(intro);
        needs.push(...(listItems.get(lastList) ?? []));
      }
      if (block.list !== undefined && i === 0) {
        const intro = listIntro.get(block.list);
        if (intro !== undefined) needs.push(intro);
      }
      // The sentence that introduces a list heads its items, as the section's heading heads the
      // section: "two main ways to get a Product Management job:" is what "Make the move to
      // product within your own company." answers.
      const introduced = block.list === undefined ? undefined : listIntro.get(block.list);
      const heading = introduced === undefined ? '' : statements[introduced]!.text;
      const wordCount = words(text).length;
      const firstWord = IMPERATIVE.exec(body)?.[1] ?? '';
      const imperative = firstWord !== '' && !NOT_IMPERATIVE_ENDINGS.test(firstWord) && /^[A-Z]/.test(body);
      statements.push({
        position,
        start: unit.start,
        end: unit.end,
        text,
        block: blockIndex,
        shape: block.shape,
        ...(block.list === undefined ? {} : { list: block.list }),
        label: ownLabel,
        leaning,
        needs,
        // A line without closing punctuation is a title (a course card's name), not a statement.
        standalone: ownLabel !== null || (wordCount >= MIN_WORDS && !announcesList(text) && CLOSES_SENTENCE.test(text)),
        unquotable: orphan || CARRIES_LINK.test(text),
        promotional: promotionalBlock,
        offer: NO_STEMS,
        signpost: signposts(body),
        // A labelled item is a step by its label ("Start a conversation: ..."), not by the first
        // word of what follows it ("Freelancer: Excellent time management skills.").
        step:
          block.shape.kind === 'numbered' ||
          (ownLabel === null ? imperative : IMPERATIVE.test(ownLabel)) ||
          ADVICE.test(body),
        reason: REASON.test(body),
        skill: SKILL.test(body) || (ownLabel !== null && block.list !== undefined),
        stems: new Set(contentTerms(`${section.heading} ${heading} ${text}`)),
        ownStems: new Set(contentTerms(text)),
        labelStems: new Set(ownLabel ? contentTerms(ownLabel) : []),
        vector: embedder.embedPassage(`${section.heading}\n${heading}\n${text}`),
        words: wordCount,
      });
      if (block.list !== undefined) listItems.set(block.list, [...(listItems.get(block.list) ?? []), position]);
    });
  });
  markOffers(statements);
  return statements;
}

const NO_STEMS: ReadonlySet<string> = new Set();

/**
 * What each run of promotion offers, so that a question welcomes it only when it asks about
 * that ("Do I need a certification?"), not when it shares some word with the blurb ("How
 * does it further company objectives?" in a course's description). A run's course card names
 * the offer ("Product Roadmapping Micro-Certification (PRC)™": a certification, on
 * roadmapping), and so do the paragraphs that call to act on it ("...partnered with
 * Productboard to create a micro-certification... Enroll for free to learn..."). The rest of
 * the run offers nothing: it is never quoted. A one-sentence paragraph right before a run,
 * naming what it offers, is its lead-in ("...you can always get up to speed with a free
 * micro-certification!"): promotion too.
 */
function markOffers(statements: Statement[]): void {
  for (let start = 0; start < statements.length; ) {
    if (!statements[start]!.promotional) {
      start++;
      continue;
    }
    let end = start + 1;
    while (
      end < statements.length &&
      statements[end]!.promotional &&
      statements[end]!.block - statements[end - 1]!.block <= 1
    )
      end++;
    const run = statements.slice(start, end);
    // The offer is said in the card's name and in the blocks that call to act on it. A
    // description around them is ad copy: it offers nothing to quote.
    const offerBlocks = new Set(run.filter((s) => isPromotional(s.text)).map((s) => s.block));
    const card = (s: Statement) => !CLOSES_SENTENCE.test(s.text);
    const offering = run.filter((s) => card(s) || offerBlocks.has(s.block));
    const offer = new Set(offering.flatMap((s) => (card(s) ? nameStems(s.text) : [...s.ownStems])));
    for (const s of offering) s.offer = offer;
    // A block's statements stand together, so the lead-in is alone in its block when the
    // statement before it is of another.
    const leadIn = statements[start - 1];
    if (
      leadIn &&
      leadIn.block === run[0]!.block - 1 &&
      leadIn.label === null &&
      statements[start - 2]?.block !== leadIn.block &&
      [...offer].some((stem) => leadIn.ownStems.has(stem))
    ) {
      leadIn.promotional = true;
      leadIn.offer = offer;
    }
    start = end;
  }
}

/** The stems of a name, without a parenthesised short form or marks: "Product Roadmapping Micro-Certification (PRC)™". */
function nameStems(name: string): string[] {
  return contentTerms(name.replace(/\([^)]*\)|[™®℠]/g, ' '));
}

/**
 * Statements per section of one loaded index, built when a section is first quoted and kept
 * with the index: a corpus of many thousand sections pays only for those questions reach,
 * and a hot swap drops them with the generation they belong to.
 */
export class IndexStatements {
  private readonly sections = new Map<string, Map<string, SectionStatements>>();
  /**
   * Stems of the documents' titles, question words aside: what the corpus says it is about.
   * A question naming none of them (or a synonym) is not on the guide's topic, whatever
   * everyday words it shares with some passage ("skills" for the guitar, "how long" for eggs).
   */
  readonly topicStems: ReadonlySet<string>;
  /** Stems of every title, heading and item label, question words aside: what some part of the corpus is about. */
  readonly headingStems: ReadonlySet<string>;
  /** Where the headings say a reader goes, and comes from (see destinations.ts). */
  readonly moves: CorpusMoves;

  constructor(
    private readonly documents: ReadonlyMap<string, StoredDocument>,
    private readonly embedder: LocalEmbeddings,
    chunks: readonly Chunk[],
  ) {
    const naming = (texts: Iterable<string>) => {
      const stems = [...texts].flatMap((t) => contentTerms(t)).filter((s) => !QUESTION_WORDS.has(s));
      return new Set([...stems, ...SELF_REFERENCE]);
    };
    this.topicStems = naming(new Set(chunks.map((c) => c.headingPath[0] ?? c.section)));
    // A label ("Get certified as a PM: ...") works as a small heading (see lexicalHeading).
    this.headingStems = naming(new Set(chunks.map((c) => `${c.headingPath.join('\n')}\n${lexicalHeading(c)}`)));
    this.moves = corpusMoves(new Set(chunks.flatMap((c) => c.headingPath)));
  }

  /** The statements of a document's section, or null when there is no such section. */
  of(document: string, anchor: string): SectionStatements | null {
    let byAnchor = this.sections.get(document);
    if (!byAnchor) {
      const doc = this.documents.get(document);
      if (!doc) return null;
      byAnchor = new Map();
      for (const section of splitSections({ ...doc, fileName: `${doc.id}.md` }))
        byAnchor.set(section.anchor, lazySection(doc, section, this.embedder));
      this.sections.set(document, byAnchor);
    }
    return byAnchor.get(anchor) ?? null;
  }
}

/** A section whose statements are worked out on first access. */
function lazySection(source: StoredDocument, section: Section, embedder: LocalEmbeddings): SectionStatements {
  let statements: Statement[] | undefined;
  return {
    source,
    document: section.document,
    heading: section.heading,
    anchor: section.anchor,
    text: section.text,
    get statements() {
      statements ??= sectionStatements(section, embedder);
      return statements;
    },
  };
}
