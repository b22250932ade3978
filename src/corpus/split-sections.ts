import GithubSlugger from 'github-slugger';
import { lexer, type Token, type Tokens } from 'marked';
import { blockTexts, inlineText } from './markdown-text.ts';
import type { Section, SourceDocument } from './types.ts';

/**
 * Split a document into sections, one per heading (any level), each with its heading path
 * and a GitHub-style anchor unique within the document. Text before the first heading
 * belongs to a section named after the document title. Sections with no text are dropped
 * (a heading directly followed by a sub-heading), but still count for slug uniqueness so
 * anchors match the rendered page.
 */
export function splitSections(doc: SourceDocument): Section[] {
  const slugger = new GithubSlugger();
  const sections: Section[] = [];
  const path: Array<{ depth: number; heading: string }> = [];
  let current = {
    heading: doc.title,
    headingPath: [doc.title],
    anchor: slugger.slug(doc.title),
    tokens: [] as Token[],
  };
  let sawHeading = false;

  const flush = () => {
    const texts = blockTexts(current.tokens);
    if (texts.length === 0) return;
    let text = '';
    const blocks: Section['blocks'] = [];
    for (const { text: block, shape, list } of texts) {
      if (text) text += '\n\n';
      blocks.push({
        start: text.length,
        end: text.length + block.length,
        shape,
        ...(list === undefined ? {} : { list }),
      });
      text += block;
    }
    sections.push({
      document: doc.id,
      heading: current.heading,
      headingPath: current.headingPath,
      anchor: current.anchor,
      text,
      blocks,
    });
  };

  for (const token of lexer(doc.markdown)) {
    if (token.type !== 'heading') {
      current.tokens.push(token);
      continue;
    }
    const heading = token as Tokens.Heading;
    const title = inlineText(heading.tokens).trim();
    // The first heading replaces the implicit title section if nothing came before it.
    if (!sawHeading && current.tokens.every((t) => t.type === 'space')) {
      slugger.reset();
    } else {
      flush();
    }
    sawHeading = true;
    while (path.length && path[path.length - 1]!.depth >= heading.depth) path.pop();
    path.push({ depth: heading.depth, heading: title });
    current = { heading: title, headingPath: path.map((p) => p.heading), anchor: slugger.slug(title), tokens: [] };
  }
  flush();
  return sections;
}
