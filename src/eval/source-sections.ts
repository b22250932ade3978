import { lexer, type Token, type Tokens } from 'marked';
import { blockTexts } from '../corpus/markdown-text.ts';
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

/** The plain-text blocks of every list item in the tokens, nested lists included. */
function listItemTexts(tokens: Token[]): Set<string> {
  const out = new Set<string>();
  const visit = (list: Token[]) => {
    for (const token of list) {
      if (token.type === 'list') {
        for (const item of (token as Tokens.List).items) {
          for (const text of blockTexts(item.tokens)) out.add(text);
          visit(item.tokens);
        }
      } else if (token.type === 'blockquote') {
        visit((token as Tokens.Blockquote).tokens);
      }
    }
  };
  visit(tokens);
  return out;
}
