import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import matter from 'gray-matter';
import { lexer, type Tokens } from 'marked';
import { z } from 'zod';
import { inlineText } from './markdown-text.ts';
import type { SourceDocument } from './types.ts';

/** A corpus problem, reported as one line naming the file. */
export class CorpusError extends Error {
  override name = 'CorpusError';
}

const dateLike = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .optional();

const frontMatterSchema = z.object({
  title: z.string().trim().min(1).optional(),
  author: z.string().trim().min(1).optional(),
  published: dateLike,
  updated: dateLike,
  source_url: z.url({ protocol: /^https?$/ }).optional(),
});

/** Load every `*.md` file of a folder, sorted by name. Throws CorpusError on any bad file. */
export async function loadCorpus(dir: string): Promise<SourceDocument[]> {
  let names: string[];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new CorpusError(`${dir}: not a folder (set CORPUS_DIR)`);
    names = await readdir(dir);
  } catch (error) {
    if (error instanceof CorpusError) throw error;
    throw new CorpusError(`${dir}: corpus folder not found (set CORPUS_DIR)`);
  }
  const markdownFiles = names.filter((n) => /\.(md|html)$/i.test(n)).sort();
  if (markdownFiles.length === 0) throw new CorpusError(`${dir}: no Markdown (.md) files in the corpus folder`);

  const documents: SourceDocument[] = [];
  for (const name of markdownFiles) {
    const path = join(dir, name);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw new CorpusError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (/\.html$/i.test(name)) {
      // HTML goes through article extraction (Readability, turndown), loaded only for a corpus that has HTML.
      const { parseHtmlDocument } = await import('./html-document.ts');
      documents.push(await parseHtmlDocument(path, bytes));
      continue;
    }
    documents.push(parseDocument(path, bytes));
  }
  return documents;
}

/** Parse one file's bytes into a document; the path is used for naming only. */
export function parseDocument(path: string, bytes: Uint8Array): SourceDocument {
  if (bytes.includes(0)) throw new CorpusError(`${path}: binary file (contains NUL bytes), expected UTF-8 Markdown`);
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CorpusError(`${path}: not valid UTF-8 text`);
  }
  if (source.trim() === '') throw new CorpusError(`${path}: empty document`);

  let parsed: matter.GrayMatterFile<string>;
  try {
    // An empty options object stops gray-matter from caching by content across calls.
    parsed = matter(source, {});
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new CorpusError(`${path}: invalid front matter (${reason})`);
  }
  const front = frontMatterSchema.safeParse(parsed.data ?? {});
  if (!front.success) {
    const issue = front.error.issues[0]!;
    throw new CorpusError(`${path}: invalid front matter field "${issue.path.join('.')}" (${issue.message})`);
  }
  const markdown = parsed.content.replace(/^\s*\n/, '');
  if (!/[\p{L}\p{N}]/u.test(markdown)) throw new CorpusError(`${path}: document has no text`);

  const fileName = basename(path);
  const id = fileName.replace(/\.md$/i, '');
  // The first level-1 heading, found by the parser so a "# comment" in a code block is not it.
  const h1 = lexer(markdown).find((t): t is Tokens.Heading => t.type === 'heading' && (t as Tokens.Heading).depth === 1);
  const firstHeading = h1 ? inlineText(h1.tokens).trim() || undefined : undefined;
  return {
    id,
    fileName,
    title: front.data.title ?? firstHeading ?? id,
    sourceUrl: front.data.source_url ?? null,
    author: front.data.author ?? null,
    published: front.data.published ?? null,
    updated: front.data.updated ?? null,
    markdown,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
