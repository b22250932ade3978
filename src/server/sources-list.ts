import type { Citation } from '../rag/types.ts';

/**
 * The "Sources" list that /v1 and /mcp put under an answer: one Markdown link per citation,
 * numbered like the answer's [n] markers. The links are absolute (the request's own origin),
 * because these answers are read in other clients, where a site-relative link leads nowhere.
 */
const HEADING = '**Sources**';
const LIST_ITEM = /^\d{1,3}\. \[.*\]\(\S+\)$/;

export function sourcesList(citations: readonly Citation[], origin: string): string {
  if (citations.length === 0) return '';
  const items = citations.map((c) => `${c.id}. [${escapeLinkText(c.section)}](${new URL(c.url, origin).href})`);
  return `\n\n${HEADING}\n${items.join('\n')}`;
}

/**
 * An earlier answer of ours as a client sends it back in its history, without the list: the
 * pipeline sees the same history as from /ask, and the links add nothing to a follow-up.
 */
export function withoutSourcesList(content: string): string {
  const at = content.lastIndexOf(`\n\n${HEADING}\n`);
  if (at < 0) return content;
  const items = content.slice(at + HEADING.length + 3).split('\n');
  return items.every((line) => LIST_ITEM.test(line)) ? content.slice(0, at) : content;
}

function escapeLinkText(text: string): string {
  return text.replace(/[\\[\]]/g, (ch) => `\\${ch}`);
}
