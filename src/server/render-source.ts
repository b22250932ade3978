import GithubSlugger from 'github-slugger';
import { lexer, Parser, Renderer, type Tokens } from 'marked';
import { FilterXSS } from 'xss';
import { inlineText } from '../corpus/markdown-text.ts';
import type { StoredDocument } from '../index/loaded-index.ts';
import { memoised } from '../memo.ts';

/**
 * Render a corpus document as an HTML page. Each section heading carries `id` = its anchor
 * (the same slugs, in the same order, as split-sections.ts), raw HTML in the Markdown is
 * shown as text, and the output goes through an allow-list sanitiser all the same.
 */
export function renderSourcePage(doc: StoredDocument): string {
  // A document never changes within a loaded index: each is rendered and sanitised once.
  return memoised(pageByDocument, doc, renderPage);
}

const pageByDocument = new WeakMap<StoredDocument, string>();

function renderPage(doc: StoredDocument): string {
  const body = sanitizer.process(renderMarkdown(doc));
  const title = escapeHtml(doc.title);
  const original =
    doc.sourceUrl && /^https?:\/\//.test(doc.sourceUrl)
      ? `<p class="source-origin">Original: <a href="${escapeHtml(doc.sourceUrl)}" rel="noopener noreferrer" target="_blank">${escapeHtml(doc.sourceUrl)}</a></p>`
      : '';
  const byline = [doc.author, doc.updated ?? doc.published]
    .filter(Boolean)
    .map((s) => escapeHtml(String(s)))
    .join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/source.css">
</head>
<body>
<main class="source-document" data-document="${escapeHtml(doc.id)}">
${byline ? `<p class="source-byline">${byline}</p>` : ''}
${original}
${body}
</main>
</body>
</html>`;
}

function renderMarkdown(doc: StoredDocument): string {
  const tokens = lexer(doc.markdown);
  const slugger = new GithubSlugger();
  const firstContent = tokens.find((t) => t.type !== 'space');
  let prefix = '';
  // Text before the first heading belongs to a section named after the title (see split-sections.ts).
  if (firstContent && firstContent.type !== 'heading')
    prefix = `<h1 id="${slugger.slug(doc.title)}">${escapeHtml(doc.title)}</h1>\n`;

  const renderer = new Renderer();
  renderer.heading = function ({ tokens: inline, depth }: Tokens.Heading) {
    const id = slugger.slug(inlineText(inline).trim());
    return `<h${depth} id="${id}">${this.parser.parseInline(inline)}</h${depth}>\n`;
  };
  // Raw HTML in a corpus file is displayed, never interpreted.
  renderer.html = ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text);
  renderer.image = ({ text }: Tokens.Image) => escapeHtml(text);
  // Links in a corpus file stay links, but never pass on who referred the reader or gain
  // a handle on this page.
  renderer.link = function ({ href, tokens: inline }: Tokens.Link) {
    return `<a href="${escapeHtml(href)}" rel="nofollow noopener noreferrer">${this.parser.parseInline(inline)}</a>`;
  };
  return prefix + new Parser({ renderer }).parse(tokens);
}

const sanitizer = new FilterXSS({
  whiteList: {
    h1: ['id'],
    h2: ['id'],
    h3: ['id'],
    h4: ['id'],
    h5: ['id'],
    h6: ['id'],
    p: [],
    ul: [],
    ol: ['start'],
    li: [],
    em: [],
    strong: [],
    code: [],
    pre: [],
    blockquote: [],
    a: ['href', 'title', 'rel'],
    hr: [],
    br: [],
    table: [],
    thead: [],
    tbody: [],
    tr: [],
    th: [],
    td: [],
    del: [],
  },
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style'],
  onTagAttr(tag, name, value) {
    // Only web links survive; xss already drops javascript: URLs, this drops the rest.
    if (tag === 'a' && name === 'href' && !/^(https?:|#|\/)/i.test(value)) return '';
    return undefined;
  },
});

/** Text for HTML content and quoted attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export const SOURCE_CSS = `
:root { color-scheme: light dark; --fg: #1d232b; --bg: #ffffff; --muted: #5b6570; --mark: #fff1a8; --accent: #1f5fbf; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ee; --bg: #14171c; --muted: #a3acb7; --mark: #6b5a00; --accent: #8ab4ff; } }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
h1, h2, h3 { line-height: 1.25; scroll-margin-top: 1rem; }
a { color: var(--accent); }
mark { background: var(--mark); color: inherit; }
.source-byline, .source-origin { color: var(--muted); font-size: 0.9rem; margin: 0.25rem 0; overflow-wrap: anywhere; }
`;
