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
  const items = citations.map((c) => `${c.id}. [${escapeLinkText(c.section)}](${absolute(c.url, origin)})`);
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

/**
 * A citation's link made absolute. Citation URLs are site paths the app builds itself
 * (`/source/<document>#<section>`); one made only of characters a URL keeps as they are gets
 * the origin put in front of it, cheaply. Anything else (a non-ASCII anchor, say) goes
 * through URL, which encodes it.
 */
function absolute(url: string, origin: string): string {
  return URL_AS_IS.test(url) ? origin + url : new URL(url, origin).href;
}

/** A path (not `//host`, no `.` or `..` segment to resolve) of characters URL leaves as they are. */
const URL_AS_IS = /^\/(?!\/)(?!.*\/\.\.?(?:[/?#]|$))[\w\-.~!$&'()*+,;=:@%/?#]*$/;

function escapeLinkText(text: string): string {
  return text.replace(/[\\[\]]/g, (ch) => `\\${ch}`);
}
