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

/** The plain-text blocks (paragraphs, list items, code, table rows) of block-level tokens. */
export function blockTexts(tokens: Token[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'paragraph':
      case 'text':
        push(out, inlineText((token as Tokens.Paragraph).tokens));
        break;
      case 'list':
        for (const item of (token as Tokens.List).items) out.push(...blockTexts(item.tokens));
        break;
      case 'blockquote':
        out.push(...blockTexts((token as Tokens.Blockquote).tokens));
        break;
      case 'code':
        push(out, (token as Tokens.Code).text);
        break;
      case 'table': {
        const table = token as Tokens.Table;
        for (const row of [table.header, ...table.rows]) push(out, row.map((cell) => inlineText(cell.tokens)).join(' | '));
        break;
      }
      default:
        // headings are handled by the caller; html, hr and space carry no passage text.
        break;
    }
  }
  return out;
}

function push(out: string[], text: string): void {
  const cleaned = text.replace(/[ \t]*\n[ \t]*/g, ' ').trim();
  if (cleaned) out.push(cleaned);
}
