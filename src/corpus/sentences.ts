/** A range of characters: `text.slice(start, end)`. */
export type Span = { start: number; end: number };

// The platform's sentence segmenter (ICU): on Node and Workers alike, no library needed.
const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Sentence spans within a range, trimmed of surrounding whitespace. */
export function sentenceSpans(text: string, range: Span): Span[] {
  const spans: Span[] = [];
  for (const { segment, index } of sentenceSegmenter.segment(text.slice(range.start, range.end))) {
    const lead = segment.length - segment.trimStart().length;
    const trimmed = segment.trim();
    if (!trimmed) continue;
    const start = range.start + index + lead;
    spans.push({ start, end: start + trimmed.length });
  }
  return spans;
}

/** Blocks of a passage (paragraphs, list items): the spans between blank lines. */
export function blockSpans(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (const match of text.matchAll(/\n\s*\n/g)) {
    spans.push({ start, end: match.index });
    start = match.index + match[0].length;
  }
  spans.push({ start, end: text.length });
  return spans.filter((s) => s.end > s.start);
}
