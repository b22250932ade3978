import { lexer, type Token, type Tokens } from 'marked';
import { inlineText } from '../corpus/markdown-text.ts';
import { splitSections } from '../corpus/split-sections.ts';
import type { StoredDocument } from '../index/loaded-index.ts';
import { sourceSection, type SourceSection } from './answer-metrics.ts';

/** A section of the guide as the eval checks answers against it. */
export interface EvalSection {
  /** Plain text, as citations quote it. */
  text: string;
  /** Its sentences in order, knowing which come from list items. */
  source: SourceSection;
}

/** Every section of the documents, by `document#anchor` (a citation's document and anchor). */
export function evalSections(documents: Iterable<StoredDocument>): Map<string, EvalSection> {
  const out = new Map<string, EvalSection>();
  for (const doc of documents) {
    const items = listItemTexts(lexer(doc.markdown));
    for (const section of splitSections({ ...doc, fileName: `${doc.id}.md` })) {
      const blocks = section.blocks.map(({ start, end }) => {
        const text = section.text.slice(start, end);
        return { text, listItem: items.has(text) };
      });
      out.set(`${section.document}#${section.anchor}`, { text: section.text, source: sourceSection(blocks) });
    }
  }
  return out;
}

/**
 * The text of every list item in the tokens, nested lists included, spelled as splitSections
 * spells a block (inline text, line breaks as spaces), so a section's blocks can be looked up.
 */
function listItemTexts(tokens: Token[]): Set<string> {
  const out = new Set<string>();
  const visit = (list: Token[], inItem: boolean) => {
    for (const token of list) {
      if (token.type === 'list') {
        for (const item of (token as Tokens.List).items) visit(item.tokens, true);
      } else if (token.type === 'blockquote') {
        visit((token as Tokens.Blockquote).tokens, inItem);
      } else if (inItem && (token.type === 'text' || token.type === 'paragraph')) {
        const text = inlineText((token as Tokens.Paragraph).tokens)
          .replace(/[ \t]*\n[ \t]*/g, ' ')
          .trim();
        if (text) out.add(text);
      }
    }
  };
  visit(tokens, false);
  return out;
}
