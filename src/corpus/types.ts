import type { BlockKind } from './markdown-text.ts';

/** A Markdown file of the corpus, identified by its file name without `.md`. */
export interface SourceDocument {
  id: string;
  fileName: string;
  title: string;
  sourceUrl: string | null;
  author: string | null;
  published: string | null;
  updated: string | null;
  /** The Markdown body without front matter: what /source renders. */
  markdown: string;
  /** sha256 of the file's bytes. */
  sha256: string;
}

/** A heading and the text under it, up to the next heading of any level. */
export interface Section {
  document: string;
  /** The heading exactly as written in the source. */
  heading: string;
  /** Headings from the document's top level down to this one. */
  headingPath: string[];
  /** GitHub-style slug, unique within the document: the `id` of the heading in /source. */
  anchor: string;
  /** Plain text of the section's blocks (paragraphs, list items) joined by blank lines. */
  text: string;
  /** Character ranges of each block within `text`, with its shape (paragraph or list item). */
  blocks: Array<{ start: number; end: number; shape: BlockKind; list?: number }>;
}

/** A passage of one section, the unit that is embedded, indexed and cited. */
export interface Chunk {
  id: string;
  document: string;
  section: string;
  headingPath: string[];
  anchor: string;
  /** Offsets of `text` within its section's text: `section.text.slice(start, end) === text`. */
  start: number;
  end: number;
  /** The passage alone: what is quoted. */
  text: string;
  /** sha256 of the embedded text (heading path + passage): the embedding cache key. */
  hash: string;
}
