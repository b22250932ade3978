import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { extractArticle, NoArticleError, type HtmlArticle } from './html-article.ts';
import { CorpusError, parseDocument } from './load-corpus.ts';
import type { SourceDocument } from './types.ts';

/**
 * A corpus `.html` file as a document: its main article extracted exactly as a fetched page's
 * is, then read as the Markdown file it would have been written as (same front matter rules).
 * The document id is the file name without `.html`; the hash is of the HTML file's bytes.
 */
export async function parseHtmlDocument(path: string, bytes: Uint8Array): Promise<SourceDocument> {
  if (bytes.includes(0)) throw new CorpusError(`${path}: binary file (contains NUL bytes), expected UTF-8 HTML`);
  let html: string;
  try {
    html = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CorpusError(`${path}: not valid UTF-8 text`);
  }
  if (html.trim() === '') throw new CorpusError(`${path}: empty document`);
  let article: HtmlArticle;
  try {
    article = await extractArticle(html);
  } catch (error) {
    if (error instanceof NoArticleError) throw new CorpusError(`${path}: no article found in the HTML`);
    throw error;
  }
  const document = parseDocument(path, new TextEncoder().encode(articleMarkdownFile(article)));
  return {
    ...document,
    id: basename(path).replace(/\.html?$/i, ''),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/**
 * An article as a corpus Markdown file: front matter (`title`, then `author` and `published`
 * when known, then `extra` fields such as `source_url`) and the article's Markdown.
 */
export function articleMarkdownFile(article: HtmlArticle, extra: Record<string, string> = {}): string {
  const fields: Record<string, string | null> = {
    title: article.title,
    author: article.author,
    published: article.published,
    ...extra,
  };
  const lines = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    // A JSON string is a YAML double-quoted scalar: no title can break the front matter.
    .map(([key, value]) => `${key}: ${/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : JSON.stringify(value)}`);
  return `---\n${lines.join('\n')}\n---\n\n${article.markdown}`;
}
