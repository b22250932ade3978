import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { CorpusError } from './corpus-error.ts';
import type { SourceDocument } from './types.ts';

/** A first line this short, standing alone and not ending like a sentence, is the title. */
const MAX_TITLE_LENGTH = 120;

/**
 * A plain-text document (`.txt`): paragraphs separated by blank lines, no headings, so one
 * section. The title is the first line when it stands alone and reads like a title (short,
 * no closing punctuation), else the file name ("office-hours.txt" -> "Office hours").
 * Kept as Markdown with every character that Markdown would read as markup escaped, so
 * /source, sections and quotes treat it like any other document and show the text exactly.
 */
export function parseTextDocument(path: string, source: string, bytes: Uint8Array): SourceDocument {
  const fileName = basename(path);
  const id = fileName.replace(/\.txt$/i, '');
  const paragraphs = source
    .replace(/^\uFEFF/, '')
    .split(/\r?\n[ \t]*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (!paragraphs.some((p) => /[\p{L}\p{N}]/u.test(p))) throw new CorpusError(`${path}: document has no text`);
  const first = paragraphs[0]!;
  const firstIsTitle =
    paragraphs.length > 1 && !first.includes('\n') && first.length <= MAX_TITLE_LENGTH && !/[.,;:!?]$/.test(first);
  const title = firstIsTitle ? first : titleFromFileName(id);
  const body = firstIsTitle ? paragraphs.slice(1) : paragraphs;
  const blocks = [...(firstIsTitle ? [`# ${escapeMarkdown(title)}`] : []), ...body.map(escapeMarkdown)];
  const markdown = `${blocks.join('\n\n')}\n`;
  return {
    id,
    fileName,
    title,
    sourceUrl: null,
    author: null,
    published: null,
    updated: null,
    markdown,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** "office-hours_notes" -> "Office hours notes". */
export function titleFromFileName(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : id;
}

/**
 * Plain text as Markdown that renders as that same text: inline markup characters are
 * backslash-escaped, and so is whatever would open a block at a line start (a heading, a
 * quote, a list item, a numbered item, a code fence). Lines of a paragraph stay lines.
 */
export function escapeMarkdown(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) =>
      line
        .trim()
        .replace(/[\\`*_[\]<>|~&]/g, '\\$&')
        .replace(/^([#>+=-])/, '\\$1')
        .replace(/^(\d+)([.)])/, '$1\\$2'),
    )
    .join('\n');
}
