import { blockSpans } from './sentences.ts';
import type { Chunk } from './types.ts';

/**
 * The text that is embedded: the passage under its section heading, so a passage keeps its
 * topic ("Sales: ..." under "Quick-fire Round"). The document title is left out: it is shared
 * by every passage and would only blur them together.
 */
export function embeddingText(chunk: Pick<Chunk, 'headingPath' | 'text'>): string {
  return `${chunk.headingPath.slice(1).join(' > ') || chunk.headingPath[0]}\n${chunk.text}`;
}

/**
 * The lead-in label of a passage written as "Label: text" ("Teacher: Crowd control!",
 * "Shadow the product team: Some larger companies..."): in guidance writing it works as a
 * small heading, so retrieval weighs it like one. Null when the passage has none.
 */
export function passageLabel(text: string): string | null {
  const match = /^([^:.!?\n]{2,48}):\s/.exec(text);
  if (!match) return null;
  return match[1]!.trim().split(/\s+/).length <= 5 ? match[1]!.trim() : null;
}

/**
 * What the lexical index treats as a passage's heading: its section path and the label of
 * each of its blocks (a passage of several labelled items, "Freelancer: … Teacher: …
 * Journalist: …", is headed by all of them, not only the first).
 */
export function lexicalHeading(chunk: Pick<Chunk, 'headingPath' | 'section' | 'text'>): string {
  const labels = blockSpans(chunk.text)
    .map((block) => passageLabel(chunk.text.slice(block.start, block.end)))
    .filter((label) => label !== null);
  const path = chunk.headingPath.slice(1).join(' ') || chunk.section;
  return labels.length ? `${path} ${labels.join(' ')}` : path;
}
