/**
 * The answers' Markdown, rendered with DOM nodes only: paragraphs, line breaks, bulleted and
 * numbered lists, **bold**, and `[n]` citation markers. Nothing else is Markdown here: links,
 * images, headings and HTML stay text, because an answer quotes a corpus (and a model may be
 * talked into writing anything), so no answer can add a link, an image or markup to the page.
 */

/** Makes the node for citation marker `[n]`, or null to leave the marker as text. */
export type MarkerNode = (n: number) => Node | null;

const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,3})[.)]\s+(.*)$/;
const INLINE = /\*\*(.+?)\*\*|\[(\d{1,3})\]/g;

type Block =
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'list'; ordered: boolean; start: number; items: string[] };

/** Replace the element's content with the rendered Markdown. */
export function renderMarkdown(element: HTMLElement, markdown: string, marker: MarkerNode): void {
  const nodes = parseBlocks(markdown).map((block) => renderBlock(block, marker));
  element.replaceChildren(...nodes);
}

function parseBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  for (const line of markdown.split('\n')) {
    if (!line.trim()) {
      current = null;
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      const ordered = numbered !== null;
      const text = bullet ? bullet[1]! : numbered![2]!;
      if (current?.kind === 'list' && current.ordered === ordered) {
        current.items.push(text);
      } else {
        current = { kind: 'list', ordered, start: numbered ? Number(numbered[1]) : 1, items: [text] };
        blocks.push(current);
      }
      continue;
    }
    if (current?.kind === 'paragraph') {
      current.lines.push(line);
    } else {
      current = { kind: 'paragraph', lines: [line] };
      blocks.push(current);
    }
  }
  return blocks;
}

function renderBlock(block: Block, marker: MarkerNode): HTMLElement {
  if (block.kind === 'paragraph') {
    const p = document.createElement('p');
    block.lines.forEach((line, i) => {
      if (i > 0) p.appendChild(document.createElement('br'));
      appendInline(p, line, marker);
    });
    return p;
  }
  const list = document.createElement(block.ordered ? 'ol' : 'ul');
  if (block.ordered && block.start !== 1) list.setAttribute('start', String(block.start));
  for (const item of block.items) {
    const li = document.createElement('li');
    appendInline(li, item, marker);
    list.appendChild(li);
  }
  return list;
}

/** Text with **bold** and markers; everything else stays text. */
function appendInline(parent: HTMLElement, text: string, marker: MarkerNode): void {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const node = match[1] !== undefined ? strong(match[1], marker) : marker(Number(match[2]));
    if (!node) continue;
    appendText(parent, text.slice(last, match.index));
    if (match[2] !== undefined) keepWithPreviousWord(parent);
    parent.appendChild(node);
    last = match.index + match[0].length;
  }
  appendText(parent, text.slice(last));
}

function strong(text: string, marker: MarkerNode): HTMLElement {
  const element = document.createElement('strong');
  appendInline(element, text, marker);
  return element;
}

function appendText(parent: HTMLElement, text: string): void {
  if (!text) return;
  const tail = parent.lastChild;
  if (tail instanceof Text) tail.appendData(text);
  else parent.appendChild(document.createTextNode(text));
}

/** "needs [1]." must not wrap between the word and its chip. */
function keepWithPreviousWord(parent: HTMLElement): void {
  const tail = parent.lastChild;
  if (tail instanceof Text && tail.data.endsWith(' ')) tail.replaceData(tail.length - 1, 1, '\u00a0');
}
