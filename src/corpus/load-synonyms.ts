import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSolrSynonyms, SynonymSyntaxError, type SynonymRule } from '../text/solr-synonyms.ts';
import { CorpusError } from './corpus-error.ts';
import { SYNONYMS_FILE } from './corpus-files.ts';

/**
 * The rules of `<corpusDir>/synonyms.txt` (none when the file is absent); a bad line is a
 * one-line CorpusError naming the file and the line.
 */
export async function loadSynonyms(corpusDir: string): Promise<{ rules: SynonymRule[]; text: string | null }> {
  const path = join(corpusDir, SYNONYMS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { rules: [], text: null };
    throw new CorpusError(`${path}: cannot be read (${code ?? 'error'})`);
  }
  try {
    return { rules: parseSolrSynonyms(text), text };
  } catch (error) {
    if (error instanceof SynonymSyntaxError) throw new CorpusError(`${path}:${error.line}: ${error.reason}`);
    throw error;
  }
}
