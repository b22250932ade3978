import { createHash } from 'node:crypto';
import { embeddingText } from './embedding-text.ts';
import { sentenceSpans, type Span } from './sentences.ts';
import type { Chunk, Section } from './types.ts';

export interface ChunkOptions {
  /** Upper bound on a chunk's length in characters (a single longer sentence is cut at a word). */
  maxChars: number;
  /** Chunks shorter than this are merged with the next block of the same section when they fit. */
  minChars: number;
  /** Characters of trailing context carried into the next chunk when a block is split. */
  overlapChars: number;
}

export const defaultChunkOptions: ChunkOptions = { maxChars: 700, minChars: 80, overlapChars: 120 };

/**
 * Cut a section into passages that never cross the section. Blocks (paragraphs, list items)
 * are packed together up to `maxChars`; a longer block is split on sentence boundaries with
 * a small overlap, and a sentence longer than `maxChars` on word boundaries.
 */
export function chunkSection(section: Section, options: ChunkOptions = defaultChunkOptions): Chunk[] {
  const spans: Span[] = [];
  let pending: Span | null = null;

  for (const block of section.blocks) {
    const pieces = block.end - block.start > options.maxChars ? splitLongBlock(section.text, block, options) : [block];
    for (const piece of pieces) {
      if (
        pending &&
        piece.end - pending.start <= options.maxChars &&
        (pending.end - pending.start < options.minChars || piece.end - piece.start < options.minChars)
      ) {
        pending = { start: pending.start, end: piece.end };
        continue;
      }
      if (pending) spans.push(pending);
      pending = piece;
    }
  }
  if (pending) spans.push(pending);

  return spans.map((span, i) => {
    const text = section.text.slice(span.start, span.end);
    const hash = sha256(embeddingText({ headingPath: section.headingPath, text }));
    return {
      id: `${section.document}#${section.anchor}#${i}`,
      document: section.document,
      section: section.heading,
      headingPath: section.headingPath,
      anchor: section.anchor,
      start: span.start,
      end: span.end,
      text,
      hash,
    };
  });
}

function splitLongBlock(text: string, block: Span, options: ChunkOptions): Span[] {
  const sentences = sentenceSpans(text, block).flatMap((s) =>
    s.end - s.start > options.maxChars ? wordSpans(text, s, options.maxChars) : [s],
  );
  const out: Span[] = [];
  let i = 0;
  while (i < sentences.length) {
    const start = sentences[i]!.start;
    let j = i;
    while (j + 1 < sentences.length && sentences[j + 1]!.end - start <= options.maxChars) j++;
    out.push({ start, end: sentences[j]!.end });
    if (j + 1 >= sentences.length) break;
    // Overlap: start the next chunk with the last sentence(s) of this one when they are short.
    let next = j + 1;
    while (next - 1 > i && sentences[j]!.end - sentences[next - 1]!.start <= options.overlapChars) next--;
    i = next;
  }
  return out;
}

function wordSpans(text: string, range: Span, maxChars: number): Span[] {
  const out: Span[] = [];
  let start = range.start;
  while (range.end - start > maxChars) {
    let cut = text.lastIndexOf(' ', start + maxChars);
    if (cut <= start) cut = start + maxChars;
    out.push({ start, end: cut });
    start = cut;
    while (text[start] === ' ') start++;
  }
  if (start < range.end) out.push({ start, end: range.end });
  return out;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
