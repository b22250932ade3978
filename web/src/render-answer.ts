import { excerpt, h } from './dom.ts';
import { renderMarkdown } from './markdown.ts';
import type { Citation } from './types.ts';

/** Called when a citation chip or source is activated; `opener` gets focus back on close. */
export type OpenCitation = (citation: Citation, opener: HTMLElement) => void;
/**
 * Where a citation leads when it is a link instead (the widget: the source in a new tab, as
 * the host page has no room for the source panel). Given, chips and sources are links.
 */
export type CitationLink = (citation: Citation) => string;

/** A marker still arriving at the end of the streamed text: "[" or "[1" so far. */
const PARTIAL_MARKER = /\[\d{0,3}$/;

/**
 * The text of one answer, rendered as Markdown (markdown.ts) with each `[n]` marker shown as a
 * clickable chip. Streaming appends as deltas arrive and renders the text so far again (an
 * answer is a few hundred words: cheaper than patching lists and emphasis as they open); a
 * marker split across deltas waits for its closing bracket. `replace` renders the final
 * answer, whose citations may be renumbered.
 */
export class AnswerText {
  private shown = '';
  private pending = '';
  private citations = new Map<number, Citation>();

  constructor(
    readonly element: HTMLElement,
    private readonly open: OpenCitation,
    private readonly link?: CitationLink,
  ) {}

  setCitations(citations: Citation[]): void {
    this.citations = new Map(citations.map((c) => [c.id, c]));
  }

  append(delta: string): void {
    const text = this.pending + delta;
    const partial = PARTIAL_MARKER.exec(text);
    const stable = partial ? partial.index : text.length;
    this.pending = text.slice(stable);
    this.render(this.shown + text.slice(0, stable));
  }

  /** Write out whatever was held back (the stream ended). */
  flush(): void {
    this.render(this.shown + this.pending);
    this.pending = '';
  }

  replace(answer: string, citations: Citation[]): void {
    this.pending = '';
    this.setCitations(citations);
    this.render(answer);
  }

  private render(text: string): void {
    this.shown = text;
    // Not a citation we know: the marker stays text.
    renderMarkdown(this.element, text, (n) => {
      const citation = this.citations.get(n);
      return citation ? this.chip(citation) : null;
    });
  }

  private chip(citation: Citation): HTMLElement {
    const label = `Source ${citation.id}: ${citation.section}`;
    const number = String(citation.id);
    const common = { class: 'chip', 'data-testid': 'citation', 'data-citation': number, title: citation.section };
    if (this.link) {
      const labelled = { ...common, 'aria-label': `${label} (opens in a new tab)` };
      return h('a', { ...labelled, ...newTab(this.link(citation)) }, number);
    }
    const chip = h('button', { ...common, type: 'button', 'aria-haspopup': 'dialog', 'aria-label': label }, number);
    chip.addEventListener('click', () => this.open(citation, chip));
    return chip;
  }
}

/** The numbered sources under an answer: section title and a short excerpt of the quote. */
export function renderSourceList(citations: Citation[], open: OpenCitation, link?: CitationLink): HTMLElement {
  const list = h('ol', { class: 'source-list', 'data-testid': 'source-list', 'aria-label': 'Sources' });
  for (const citation of citations) {
    const content = [
      h('span', { class: 'source-number', 'aria-hidden': 'true' }, String(citation.id)),
      h(
        'span',
        { class: 'source-text' },
        h('span', { class: 'sr-only' }, `Source ${citation.id}: `),
        h('span', { class: 'source-section' }, citation.section),
        h('span', { class: 'source-quote' }, `“${excerpt(citation.quote, 140)}”`),
        link ? h('span', { class: 'sr-only' }, ' (opens in a new tab)') : null,
      ),
    ];
    const attrs = { class: 'source', 'data-citation': String(citation.id) };
    if (link) {
      list.appendChild(h('li', {}, h('a', { ...attrs, ...newTab(link(citation)) }, ...content)));
      continue;
    }
    const button = h('button', { ...attrs, type: 'button', 'aria-haspopup': 'dialog' }, ...content);
    button.addEventListener('click', () => open(citation, button));
    list.appendChild(h('li', {}, button));
  }
  return h('section', { class: 'sources' }, h('h3', { class: 'sources-title' }, 'Sources'), list);
}

/** A link that opens in a new tab without giving that page a handle on this one. */
function newTab(href: string): Record<string, string> {
  return { href, target: '_blank', rel: 'noopener noreferrer' };
}

/** The answer as plain text for the clipboard: the text, then where each [n] comes from. */
export function answerAsPlainText(answer: string, citations: Citation[], origin: string): string {
  if (!citations.length) return answer;
  const lines = citations.map((c) => `[${c.id}] ${c.section}: ${absoluteUrl(c.sourceUrl, origin)}`);
  return `${answer}\n\nSources:\n${lines.join('\n')}`;
}

function absoluteUrl(url: string, origin: string): string {
  try {
    return new URL(url, origin).href;
  } catch {
    return url;
  }
}

/** The answer without its markers: what goes back to the server as history. */
export function stripMarkers(answer: string): string {
  return answer.replace(/\s*\[\d{1,3}\]/g, '').trim();
}
