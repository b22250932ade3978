/**
 * Cut one section out of a /source/:document page and rebuild it from fresh elements.
 * The server already sanitises that HTML; this copies only an allow-list of tags and
 * attributes all the same (no ids, no event handlers, no styles, no scripts), so the page
 * never depends on that being right.
 */
export interface SourceSection {
  /** The document's title (from the page's <title>). */
  documentTitle: string;
  /** The section heading's text, or null when the anchor is not on the page. */
  heading: string | null;
  /** The section's content up to the next heading, as safe nodes of this document. */
  content: DocumentFragment;
}

const HEADING = /^H[1-6]$/;
const KEEP = new Set([
  'P',
  'UL',
  'OL',
  'LI',
  'EM',
  'STRONG',
  'CODE',
  'PRE',
  'BLOCKQUOTE',
  'A',
  'HR',
  'BR',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
  'DEL',
  'B',
  'I',
]);
const DROP = new Set([
  'SCRIPT',
  'STYLE',
  'TEMPLATE',
  'NOSCRIPT',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'LINK',
  'META',
  'BASE',
  'FORM',
  'INPUT',
  'BUTTON',
  'TEXTAREA',
  'SELECT',
  'IMG',
  'SVG',
  'MATH',
  'VIDEO',
  'AUDIO',
  'CANVAS',
]);

export function parseSourcePage(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

export function extractSection(page: Document, anchor: string, documentPath: string): SourceSection {
  const documentTitle = page.title.trim();
  const heading = page.getElementById(anchor);
  const content = document.createDocumentFragment();
  if (!heading || !HEADING.test(heading.tagName)) return { documentTitle, heading: null, content };
  for (let node = heading.nextSibling; node; node = node.nextSibling) {
    if (node.nodeType === Node.ELEMENT_NODE && HEADING.test((node as Element).tagName)) break;
    const copy = safeCopy(node, documentPath);
    if (copy) content.appendChild(copy);
  }
  return { documentTitle, heading: heading.textContent?.trim() ?? '', content };
}

function safeCopy(node: Node, documentPath: string): Node | null {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent ?? '');
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const source = node as Element;
  const tag = source.tagName.toUpperCase();
  if (DROP.has(tag)) return null;
  const children = document.createDocumentFragment();
  for (const child of Array.from(source.childNodes)) {
    const copy = safeCopy(child, documentPath);
    if (copy) children.appendChild(copy);
  }
  // Unknown but harmless wrappers keep their text and lose the tag.
  if (!KEEP.has(tag)) return children;
  const element = document.createElement(tag.toLowerCase());
  if (tag === 'OL') {
    const start = source.getAttribute('start');
    if (start && /^\d{1,6}$/.test(start)) element.setAttribute('start', start);
  }
  if (tag === 'A') {
    const href = safeHref(source.getAttribute('href'), documentPath);
    if (href) {
      element.setAttribute('href', href);
      element.setAttribute('target', '_blank');
      element.setAttribute('rel', 'noopener noreferrer');
    }
  }
  element.appendChild(children);
  return element;
}

/** Web links only; in-page anchors point at the full source page. */
function safeHref(href: string | null, documentPath: string): string | null {
  if (!href) return null;
  const value = href.trim();
  if (/^https?:\/\//i.test(value)) return value;
  if (value.startsWith('#')) return `${documentPath}${value}`;
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  return null;
}

/** http(s) or same-site paths only: never javascript: or data: from a citation. */
export function safeLink(url: string): string | null {
  const value = url.trim();
  if (/^https?:\/\//i.test(value)) return value;
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  return null;
}
