/**
 * Find a quote in rendered HTML and wrap it in <mark>. The quote comes from the indexed text,
 * so it is compared with whitespace collapsed, case and typographic quotes folded, across
 * text node boundaries (inline markup, several paragraphs). When the whole quote is not
 * there, the longest of its sentences that is gets marked instead.
 */
export interface Highlight {
  marks: HTMLElement[];
  /** `quote`: the whole quote was found; `sentence`: only its longest matching sentence; `none`. */
  match: 'quote' | 'sentence' | 'none';
}

interface Position {
  node: Text;
  offset: number;
}

const BLOCK = /^(P|LI|H[1-6]|BLOCKQUOTE|PRE|TD|TH|DIV|ARTICLE|SECTION|UL|OL|TABLE|TR)$/;
const FOLD: Record<string, string> = { '‘': "'", '’': "'", '“': '"', '”': '"', '–': '-', '—': '-', '\u00a0': ' ' };

export function highlightQuote(root: HTMLElement, quote: string): Highlight {
  const index = flatten(root);
  const wanted = normalize(quote);
  let start = wanted ? index.text.indexOf(wanted) : -1;
  let length = wanted.length;
  let match: Highlight['match'] = 'quote';
  if (start === -1) {
    match = 'sentence';
    const sentences = (quote.match(/[^.!?]+[.!?]+["'”’)\]]*|[^.!?]+$/g) ?? [])
      .map(normalize)
      .filter((s) => s.length >= 12)
      .sort((a, b) => b.length - a.length);
    for (const sentence of sentences) {
      start = index.text.indexOf(sentence);
      if (start !== -1) {
        length = sentence.length;
        break;
      }
    }
  }
  if (start === -1 || length === 0) return { marks: [], match: 'none' };
  return { marks: wrap(index.positions[start]!, index.positions[start + length - 1]!), match };
}

/** Fold one character; the result is always one character so positions stay aligned. */
function fold(ch: string): string {
  if (/\s/.test(ch)) return ' ';
  const folded = FOLD[ch];
  if (folded) return folded;
  const lower = ch.toLowerCase();
  return lower.length === 1 ? lower : ch;
}

function normalize(text: string): string {
  return Array.from(text.trim(), (ch) => (ch.length === 1 ? fold(ch) : ch))
    .join('')
    .replace(/ {2,}/g, ' ');
}

/** The root's text, normalised, with the DOM position of every character. */
function flatten(root: HTMLElement): { text: string; positions: Position[] } {
  const chars: string[] = [];
  const positions: Position[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let previousBlock: Element | null = null;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    const block = blockOf(node, root);
    // Text in two different blocks is separate even without whitespace between them.
    if (previousBlock && block !== previousBlock && chars.length && chars[chars.length - 1] !== ' ') {
      chars.push(' ');
      positions.push(positions[positions.length - 1]!);
    }
    previousBlock = block;
    const data = node.data;
    for (let i = 0; i < data.length; i++) {
      const ch = fold(data[i]!);
      if (ch === ' ' && (!chars.length || chars[chars.length - 1] === ' ')) continue;
      chars.push(ch);
      positions.push({ node, offset: i });
    }
  }
  return { text: chars.join(''), positions };
}

function blockOf(node: Node, root: HTMLElement): Element {
  for (let el = node.parentElement; el && el !== root; el = el.parentElement) if (BLOCK.test(el.tagName)) return el;
  return root;
}

/**
 * Mark the text from `first` to `last` (inclusive), one <mark> per block so no block element
 * ends up inside a mark. The first mark is the one tests and scrolling look for.
 */
function wrap(first: Position, last: Position): HTMLElement[] {
  const range = document.createRange();
  range.setStart(first.node, first.offset);
  range.setEnd(last.node, last.offset + 1);
  const root = range.commonAncestorContainer;
  const texts: Text[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (range.intersectsNode(node) && node.data.trim()) texts.push(node);
  }
  if (root instanceof Text && !texts.length) texts.push(root);

  // Group the text nodes by block and compute every piece before touching the DOM.
  const pieces: Array<{ start: Position; end: Position }> = [];
  let block: Element | null = null;
  for (const node of texts) {
    const nodeBlock = blockOf(node, (root instanceof Element ? root : root.parentElement) as HTMLElement);
    const start = node === first.node ? first.offset : 0;
    const end = node === last.node ? last.offset + 1 : node.length;
    if (start >= end) continue;
    const piece = pieces[pieces.length - 1];
    if (piece && nodeBlock === block) piece.end = { node, offset: end };
    else pieces.push({ start: { node, offset: start }, end: { node, offset: end } });
    block = nodeBlock;
  }

  return pieces.map((piece, i) => {
    const part = document.createRange();
    part.setStart(piece.start.node, piece.start.offset);
    part.setEnd(piece.end.node, piece.end.offset);
    const mark = document.createElement('mark');
    mark.className = 'highlight';
    if (i === 0) mark.dataset.testid = 'highlight';
    mark.appendChild(part.extractContents());
    part.insertNode(mark);
    return mark;
  });
}
