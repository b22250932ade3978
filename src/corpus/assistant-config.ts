import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { CorpusError } from './load-corpus.ts';

/** The file, in the corpus folder, that names the assistant and lists the web pages to fetch. */
export const ASSISTANT_CONFIG_FILE = 'assistant.yaml';

const text = (max: number) =>
  z
    .string({ error: 'expected a string' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `at most ${max} characters` });

/**
 * corpus/assistant.yaml: every key optional, unknown keys refused so a typo ("starter:") is
 * reported instead of silently ignored.
 */
export const AssistantConfigSchema = z.strictObject(
  {
    name: text(80).optional(),
    description: text(500).optional(),
    starters: z.array(text(200), { error: 'expected a list of questions' }).max(12, { error: 'at most 12 starters' }).optional(),
    sources: z
      .array(
        z.strictObject(
          { url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }) },
          { error: 'expected a mapping with a url' },
        ),
        { error: 'expected a list of { url } entries' },
      )
      .optional(),
  },
  { error: 'expected a mapping of name, description, starters, sources' },
);

export type AssistantConfig = z.infer<typeof AssistantConfigSchema>;

/**
 * Read and validate `<corpusDir>/assistant.yaml`. Resolves to null when the file is absent;
 * throws a CorpusError whose one-line message names the file and the key, e.g.
 * `corpus/assistant.yaml: starters.2: expected a string`.
 */
export async function loadAssistantConfig(corpusDir: string): Promise<AssistantConfig | null> {
  const path = join(corpusDir, ASSISTANT_CONFIG_FILE);
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new CorpusError(`${path}: cannot be read (${code ?? 'error'})`);
  }
  return parseAssistantConfig(path, source);
}

/** Validate the text of an assistant.yaml; `path` names the file in errors. An empty file is an empty config. */
export function parseAssistantConfig(path: string, source: string): AssistantConfig {
  let data: unknown;
  try {
    data = parseYaml(source);
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const line = error.linePos?.[0].line;
    const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new CorpusError(`${path}: ${line ? `line ${line}: ` : ''}invalid YAML (${reason})`);
  }
  const parsed = AssistantConfigSchema.safeParse(data ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const where = [...issue.path, issue.keys[0]].join('.');
    throw new CorpusError(`${path}: ${where}: unknown key (expected name, description, starters or sources)`);
  }
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new CorpusError(`${path}: ${where}${issue.message}`);
}
