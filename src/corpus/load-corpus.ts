import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import matter from 'gray-matter';
import { parse as parseYaml } from 'yaml';
import { lexer, type Tokens } from 'marked';
import { z } from 'zod';
import { inlineText } from './markdown-text.ts';
import { CorpusError } from './corpus-error.ts';
import { corpusFileKind, skippedFileWarning, type DocumentExtension } from './corpus-files.ts';
import { parseTextDocument } from './text-document.ts';
import type { SourceDocument } from './types.ts';

export { CorpusError };

/** A calendar date, or a date and time, as ISO 8601 writes them. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const DATE_MESSAGE = 'expected a date such as 2024-05-24';

/**
 * Front matter is read as YAML 1.2 (its core schema), where a date stays the text that was
 * written: a date is checked here as written (js-yaml would turn 2024-13-45 into a Date in
 * 2025 without a word).
 */
const dateLike = z.string({ error: DATE_MESSAGE }).trim().refine(isRealDate, { error: DATE_MESSAGE }).optional();

/** An ISO 8601 date (or date-time) whose day exists: 2024-02-30 does not. */
function isRealDate(text: string): boolean {
  if (!ISO_DATE.test(text) || Number.isNaN(Date.parse(text))) return false;
  const day = text.slice(0, 10);
  return new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
}

const frontMatterSchema = z.object({
  title: z.string().trim().min(1).optional(),
  author: z.string().trim().min(1).optional(),
  published: dateLike,
  updated: dateLike,
  source_url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
});

export interface LoadCorpusOptions {
  /** Called once per file that is neither a document nor a config file ("skipped photo.png: not ..."). */
  onWarning?(message: string): void;
}

/**
 * Load every document of a folder (`.md`, `.html`, `.txt`), sorted by name. Other files are
 * named in a warning and skipped; assistant.yaml, synonyms.txt and dot files are not
 * documents and pass silently. Throws CorpusError on any bad document.
 */
export async function loadCorpus(dir: string, options: LoadCorpusOptions = {}): Promise<SourceDocument[]> {
  let names: string[];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new CorpusError(`${dir}: not a folder (set CORPUS_DIR)`);
    names = await readdir(dir);
  } catch (error) {
    if (error instanceof CorpusError) throw error;
    throw new CorpusError(`${dir}: corpus folder not found (set CORPUS_DIR)`);
  }
  const documentFiles: Array<{ name: string; extension: DocumentExtension }> = [];
  for (const name of names.sort()) {
    const kind = corpusFileKind(name);
    if (kind.kind === 'document') documentFiles.push({ name, extension: kind.extension });
    else if (kind.kind === 'other') options.onWarning?.(skippedFileWarning(name));
  }
  if (documentFiles.length === 0)
    throw new CorpusError(`${dir}: no documents (.md, .html or .txt files) in the corpus folder`);

  const documents: SourceDocument[] = [];
  for (const { name, extension } of documentFiles) {
    const path = join(dir, name);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      throw new CorpusError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const document = await parseByExtension(path, bytes, extension);
    // Citations and /source name a document by its id, the file name without its extension.
    const clash = documents.find((d) => d.id === document.id);
    if (clash) throw new CorpusError(`${path}: same document name as ${clash.fileName} (rename one of them)`);
    documents.push(document);
  }
  return documents;
}

/** The one place a document's kind picks its parser. */
async function parseByExtension(
  path: string,
  bytes: Uint8Array,
  extension: DocumentExtension,
): Promise<SourceDocument> {
  switch (extension) {
    case '.md':
      return parseDocument(path, bytes);
    case '.txt':
      return parseTextDocument(path, decodeText(path, bytes), bytes);
    case '.html':
      // Article extraction (Readability, turndown), as for fetched pages: loaded only for a corpus that has HTML.
      return (await import('./html-document.ts')).parseHtmlDocument(path, bytes);
  }
}

/** A document's bytes as text: UTF-8, not binary, not blank. The path is used for naming only. */
export function decodeText(path: string, bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new CorpusError(`${path}: binary file (contains NUL bytes), expected UTF-8 text`);
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CorpusError(`${path}: not valid UTF-8 text`);
  }
  if (source.trim() === '') throw new CorpusError(`${path}: empty document`);
  return source;
}

/** Parse one Markdown file's bytes into a document; the path is used for naming only. */
export function parseDocument(path: string, bytes: Uint8Array): SourceDocument {
  const source = decodeText(path, bytes);

  let parsed: matter.GrayMatterFile<string>;
  try {
    // Passing options stops gray-matter from caching by content across calls; YAML 1.2 keeps dates as written.
    parsed = matter(source, { engines: { yaml: (text: string) => parseYaml(text) as object } });
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0]!.replace(/:\s*$/, '');
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
  const h1 = lexer(markdown).find(
    (t): t is Tokens.Heading => t.type === 'heading' && (t as Tokens.Heading).depth === 1,
  );
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
