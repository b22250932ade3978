import { ASSISTANT_CONFIG_FILE } from './assistant-config.ts';

/** The owner's vocabulary, in the Solr synonyms format (see src/text/solr-synonyms.ts). */
export const SYNONYMS_FILE = 'synonyms.txt';

/** The file kinds ingested as documents, by extension. */
export const DOCUMENT_EXTENSIONS = ['.md', '.html', '.txt'] as const;
export type DocumentExtension = (typeof DOCUMENT_EXTENSIONS)[number];

/** Files of the corpus folder that configure it rather than being documents. */
export const CONFIG_FILES: readonly string[] = [ASSISTANT_CONFIG_FILE, SYNONYMS_FILE];

/**
 * What a name in the corpus folder is: a document (by its extension), a config file, hidden
 * (a dot file: editor and OS litter, and `npm run ingest -- --fetch`'s state file), or
 * anything else, which is skipped with a warning.
 */
export type CorpusFileKind =
  | { kind: 'document'; extension: DocumentExtension }
  | { kind: 'config' | 'hidden' | 'other' };

export function corpusFileKind(name: string): CorpusFileKind {
  if (CONFIG_FILES.includes(name)) return { kind: 'config' };
  if (name.startsWith('.')) return { kind: 'hidden' };
  const lower = name.toLowerCase();
  const extension = DOCUMENT_EXTENSIONS.find((ext) => lower.endsWith(ext));
  return extension ? { kind: 'document', extension } : { kind: 'other' };
}

/** The warning for a file that is neither a document nor a config file. */
export function skippedFileWarning(name: string): string {
  return `skipped ${name}: not ${DOCUMENT_EXTENSIONS.join(', ').replace(/, ([^,]*)$/, ' or $1')}`;
}
