import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssistantConfig, parseAssistantConfig } from '../../src/corpus/assistant-config.ts';
import { resolveAssistantIdentity } from '../../src/corpus/assistant-identity.ts';
import { CorpusError } from '../../src/corpus/corpus-error.ts';
import type { Section } from '../../src/corpus/types.ts';
import { realCorpusDir, useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-assistant-');
const FILE = 'corpus/assistant.yaml';

function errorOf(source: string): Error {
  try {
    parseAssistantConfig(FILE, source);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('assistant.yaml', () => {
  it('reads name, description, starters and sources', () => {
    const source =
      'name: Bee Helper\ndescription: Beekeeping, answered.\nstarters:\n  - How do I start?\n  - When do I inspect?\nsources:\n  - url: https://example.com/a\n';
    expect(parseAssistantConfig(FILE, source)).toEqual({
      name: 'Bee Helper',
      description: 'Beekeeping, answered.',
      starters: ['How do I start?', 'When do I inspect?'],
      sources: [{ url: 'https://example.com/a' }],
    });
  });

  it('takes an empty file (or one of comments) as no settings', () => {
    expect(parseAssistantConfig(FILE, '')).toEqual({});
    expect(parseAssistantConfig(FILE, '# nothing yet\n')).toEqual({});
  });

  it('is absent (null) when the corpus has no assistant.yaml, and read from the folder otherwise', async () => {
    const dir = await tempDir();
    expect(await loadAssistantConfig(dir)).toBeNull();
    await writeFile(join(dir, 'assistant.yaml'), 'name: Here\n');
    expect(await loadAssistantConfig(dir)).toEqual({ name: 'Here' });
  });

  it('ships with the real corpus: a name, a description, 4 to 6 starters and no sources to fetch', async () => {
    const config = (await loadAssistantConfig(realCorpusDir))!;
    expect(config.name).toBeTruthy();
    expect(config.description).toBeTruthy();
    expect(config.starters!.length).toBeGreaterThanOrEqual(4);
    expect(config.starters!.length).toBeLessThanOrEqual(6);
    expect(config.sources ?? []).toEqual([]);
  });

  it.each([
    ['starters:\n  - ok\n  - fine\n  - 3\n', 'corpus/assistant.yaml: starters.2: expected a string'],
    ['name: 42\n', 'corpus/assistant.yaml: name: expected a string'],
    ['name: "  "\n', 'corpus/assistant.yaml: name: must not be empty'],
    ['starters: How do I start?\n', 'corpus/assistant.yaml: starters: expected a list of questions'],
    ['sources:\n  - url: ftp://example.com/x\n', 'corpus/assistant.yaml: sources.0.url: expected an http(s) URL'],
    ['sources:\n  - https://example.com/x\n', 'corpus/assistant.yaml: sources.0: expected a mapping with a url'],
    [
      'sources:\n  - url: https://example.com/x\n    depth: 2\n',
      'corpus/assistant.yaml: sources.0.depth: unknown key (expected name, description, starters or sources)',
    ],
    [
      'starter:\n  - Hi?\n',
      'corpus/assistant.yaml: starter: unknown key (expected name, description, starters or sources)',
    ],
    ['- a list\n', 'corpus/assistant.yaml: expected a mapping of name, description, starters, sources'],
  ])('refuses %j in one line naming the file and the key', (source, message) => {
    const error = errorOf(source);
    expect(error).toBeInstanceOf(CorpusError);
    expect(error.message).toBe(message);
  });

  it('refuses YAML that does not parse in one line naming the file and the line', () => {
    const error = errorOf('name: Bee\nstarters: [one,\n  two: three\n');
    expect(error).toBeInstanceOf(CorpusError);
    expect(error.message).toMatch(/^corpus\/assistant\.yaml: line \d+: invalid YAML \(.+\)$/);
    expect(error.message).not.toContain('\n');
    expect(errorOf('name: A\nname: B\n').message).toMatch(
      /^corpus\/assistant\.yaml: line 2: invalid YAML \(Map keys must be unique\)$/,
    );
  });
});

describe('resolveAssistantIdentity', () => {
  const section = (document: string, heading: string, depth: number): Section => ({
    document,
    heading,
    headingPath: depth === 1 ? [heading] : ['Title', heading],
    anchor: heading.toLowerCase(),
    text: 'x',
    blocks: [],
  });
  const guide = { id: 'guide', title: 'The Beekeeping Guide' };
  const sections = [
    section('guide', 'The Beekeeping Guide', 1),
    ...['Hives', 'Inspections', 'Swarms', 'Honey', 'Winter'].map((h) => section('guide', h, 2)),
  ];

  it('uses assistant.yaml where it says something', () => {
    expect(resolveAssistantIdentity({ name: 'Bee Helper', starters: ['Why bees?'] }, [guide], sections)).toEqual({
      name: 'Bee Helper',
      description: 'Ask anything “The Beekeeping Guide” covers.',
      starters: ['Why bees?'],
    });
  });

  it('defaults to the only document’s title and its first four section headings (not the title section)', () => {
    expect(resolveAssistantIdentity(null, [guide], sections)).toEqual({
      name: 'The Beekeeping Guide',
      description: 'Ask anything “The Beekeeping Guide” covers.',
      starters: ['Hives', 'Inspections', 'Swarms', 'Honey'],
    });
  });

  it('offers the title section of a document without sub-headings', () => {
    const notes = { id: 'notes', title: 'Notes' };
    expect(resolveAssistantIdentity(null, [notes], [section('notes', 'Notes', 1)]).starters).toEqual(['Notes']);
  });
});
