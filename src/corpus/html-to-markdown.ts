import type TurndownService from 'turndown';
import type { HtmlLibraries } from './html-libraries.ts';

/** Table content that a GFM table row cannot hold: the GFM plugin would keep such a table as HTML. */
const BLOCKS_IN_CELL = 'ul, ol, h1, h2, h3, h4, h5, h6, hr, blockquote, pre, code, table';
const TABLE_PARTS = new Set(['TABLE', 'THEAD', 'TBODY', 'TFOOT', 'TR', 'TH', 'TD', 'CAPTION']);

/**
 * Convert an article's HTML (Readability's output) to Markdown with turndown and the GFM
 * plugin: `##`/`###` headings, `-` lists, `1.` lists, GFM tables, fenced code. Nothing of
 * the page survives as raw HTML: images are dropped, text that looks like a tag is escaped,
 * anything turndown would keep as HTML becomes its text, and a table with lists, headings or
 * code in its cells becomes its cells' blocks, one after the other.
 */
export function htmlToMarkdown(html: string, libraries: HtmlLibraries): string {
  return normalise(converter(libraries).turndown(html));
}

let shared: TurndownService | null = null;

function converter({ TurndownService, gfm }: HtmlLibraries): TurndownService {
  if (shared) return shared;
  const service: TurndownService = new TurndownService({
    headingStyle: 'atx',
    bulletListMarker: '-',
    codeBlockStyle: 'fenced',
    emDelimiter: '_',
    strongDelimiter: '**',
    hr: '---',
    // What turndown would otherwise pass through as HTML.
    keepReplacement: (_content: string, node: TurndownService.Node): string =>
      `\n\n${escapeText(service, node.textContent ?? '')}\n\n`,
  });
  service.use(gfm);
  service.remove([
    'script',
    'style',
    'noscript',
    'template',
    'iframe',
    'object',
    'embed',
    'img',
    'picture',
    'figcaption',
  ]);
  service.remove((node) => node.nodeName.toLowerCase() === 'svg');
  service.addRule('complexTable', {
    filter: (node) => TABLE_PARTS.has(node.nodeName) && isComplexTable(closestTable(node)),
    replacement: (content) => `\n\n${content}\n\n`,
  });
  // A list item's text sits one space after its marker, as people write Markdown (turndown pads to four).
  service.addRule('listItem', {
    filter: 'li',
    replacement(content, node, options) {
      const parent = node.parentNode as HTMLElement | null;
      let marker = `${options.bulletListMarker} `;
      if (parent?.nodeName === 'OL') {
        const start = Number(parent.getAttribute('start') ?? '1') || 1;
        marker = `${start + Array.prototype.indexOf.call(parent.children, node)}. `;
      }
      const text = content
        .replace(/^\n+/, '')
        .replace(/\n+$/, '\n')
        .replace(/\n/gm, `\n${' '.repeat(marker.length)}`);
      const next = node.nextSibling && !/\n$/.test(text) ? '\n' : '';
      return marker + text + next;
    },
  });
  const escapeMarkdown = service.escape.bind(service);
  service.escape = (text: string) => escapeHtmlLike(escapeMarkdown(text));
  shared = service;
  return service;
}

function escapeText(service: TurndownService, text: string): string {
  return service.escape(text.replace(/\s+/g, ' ').trim());
}

/** `<` and entity-like `&` in page text stay text in Markdown: `\<img …>` is never a tag. */
function escapeHtmlLike(text: string): string {
  return text.replace(/</g, '\\<').replace(/&(?=#?[a-z0-9]+;)/gi, '\\&');
}

function closestTable(node: TurndownService.Node): HTMLTableElement | null {
  for (let at: Node | null = node; at; at = at.parentNode) if (at.nodeName === 'TABLE') return at as HTMLTableElement;
  return null;
}

function isComplexTable(table: HTMLTableElement | null): boolean {
  // domino (turndown's DOM) answers undefined, not null, when nothing matches.
  return Boolean(table?.querySelector(BLOCKS_IN_CELL));
}

/**
 * Blank lines collapsed, trailing spaces trimmed, the GFM plugin's `<br>` in a table cell (a
 * cell's line breaks) turned into a space, and the empty header it gives a table without one
 * replaced by the table's first row (an empty row would be indexed as a passage of pipes).
 */
function normalise(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => (line.startsWith('|') ? line.replace(/ *(?<!\\)<br> */g, ' ') : line).replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/^(\|(?: +\|)+)\n(\|(?: :?-+:? \|)+)\n(\|.*\|)$/gm, '$3\n$2')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
