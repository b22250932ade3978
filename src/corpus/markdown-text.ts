import type { Token, Tokens } from 'marked';

/**
 * Plain text of inline Markdown tokens: what a reader sees once the page is rendered,
 * so quotes taken from it can be found again in the rendered source.
 */
export function inlineText(tokens: Token[] | undefined): string {
  if (!tokens) return '';
  let out = '';
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
      case 'escape':
      case 'codespan':
        out += 'tokens' in token && token.tokens?.length ? inlineText(token.tokens) : (token as Tokens.Text).text;
        break;
      case 'br':
        out += ' ';
        break;
      case 'html':
      case 'image':
        // Raw HTML is never indexed or shown; an image carries no passage text.
        break;
      default:
        out += 'tokens' in token ? inlineText(token.tokens) : '';
    }
  }
  return out;
}

/**
 * What a block is in its document: a paragraph, or an item of a bulleted or numbered list
 * (`ordinal` is its number as written). Answers quote list items as list items, and a
 * reference to "the first option" needs the numbered list it points at.
 */
export type BlockKind = { kind: 'paragraph' } | { kind: 'bullet' } | { kind: 'numbered'; ordinal: number };

export interface TextBlock {
  text: string;
  /** Which list this item belongs to, counted per section (list items only). */
  list?: number;
  shape: BlockKind;
}

/** The plain-text blocks (paragraphs, list items, code, table rows) of block-level tokens. */
export function blockTexts(tokens: Token[]): TextBlock[] {
  const out: TextBlock[] = [];
  collectBlocks(tokens, out, { lists: 0 });
  return out;
}

function collectBlocks(
  tokens: Token[],
  out: TextBlock[],
  counter: { lists: number },
  item?: Omit<TextBlock, 'text'>,
): void {
  const push = (text: string) => {
    const cleaned = text.replace(/[ \t]*\n[ \t]*/g, ' ').trim();
    if (cleaned) out.push({ text: cleaned, ...(item ?? { shape: { kind: 'paragraph' } }) });
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'paragraph':
      case 'text':
        push(inlineText((token as Tokens.Paragraph).tokens));
        break;
      case 'list': {
        const list = token as Tokens.List;
        const listNumber = counter.lists++;
        const first = typeof list.start === 'number' ? list.start : 1;
        list.items.forEach((entry, i) => {
          const shape: BlockKind = list.ordered ? { kind: 'numbered', ordinal: first + i } : { kind: 'bullet' };
          // A nested list's items are items of their own list; the item's own text is this one's.
          collectBlocks(entry.tokens, out, counter, { list: listNumber, shape });
        });
        break;
      }
      case 'blockquote':
        collectBlocks((token as Tokens.Blockquote).tokens, out, counter, item);
        break;
      case 'code':
        push((token as Tokens.Code).text);
        break;
      case 'table': {
        const table = token as Tokens.Table;
        for (const row of [table.header, ...table.rows]) push(row.map((cell) => inlineText(cell.tokens)).join(' | '));
        break;
      }
      default:
        // headings are handled by the caller; html, hr and space carry no passage text.
        break;
    }
  }
}
