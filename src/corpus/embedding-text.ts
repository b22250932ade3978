import type { Chunk } from './types.ts';

/**
 * The text that is embedded: the passage under its section heading, so a passage keeps its
 * topic ("Sales: ..." under "Quick-fire Round"). The document title is left out: it is shared
 * by every passage and would only blur them together.
 */
export function embeddingText(chunk: Pick<Chunk, 'headingPath' | 'text'>): string {
  return `${chunk.headingPath.slice(1).join(' > ') || chunk.headingPath[0]}\n${chunk.text}`;
}
