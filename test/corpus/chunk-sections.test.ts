import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkSection, defaultChunkOptions, type ChunkOptions } from '../../src/corpus/chunk-sections.ts';
import { loadCorpus } from '../../src/corpus/load-corpus.ts';
import { splitSections } from '../../src/corpus/split-sections.ts';
import type { Chunk, Section, SourceDocument } from '../../src/corpus/types.ts';
import { fixtureCorpusDir, realCorpusDir } from '../helpers/temp-dir.ts';

/**
 * Properties every chunking must have, whatever the document and options: a chunk lies in one
 * section, its offsets give back its text, it respects the size bound, and no text is lost.
 * Returns the chunks so callers can add checks of their own.
 */
function expectChunkProperties(
  doc: SourceDocument,
  options: ChunkOptions = defaultChunkOptions,
): { sections: Section[]; chunks: Chunk[] } {
  const sections = splitSections(doc);
  const all: Chunk[] = [];
  for (const section of sections) {
    const chunks = chunkSection(section, options);
    expect(chunks.length, `section ${section.anchor} has text, so at least one chunk`).toBeGreaterThan(0);
    const covered = new Uint8Array(section.text.length);
    let previousStart = -1;
    for (const chunk of chunks) {
      // Within one section: same document, heading, path and anchor; offsets inside its text.
      expect(chunk.document).toBe(section.document);
      expect(chunk.section).toBe(section.heading);
      expect(chunk.headingPath).toEqual(section.headingPath);
      expect(chunk.anchor).toBe(section.anchor);
      expect(chunk.start).toBeGreaterThanOrEqual(0);
      expect(chunk.end).toBeLessThanOrEqual(section.text.length);
      expect(chunk.start).toBeLessThan(chunk.end);
      // The offsets give back the text, so a quote can be located in the section.
      expect(section.text.slice(chunk.start, chunk.end)).toBe(chunk.text);
      expect(chunk.text.length).toBeLessThanOrEqual(options.maxChars);
      expect(chunk.text.trim()).not.toBe('');
      expect(chunk.start, 'chunks come in reading order').toBeGreaterThan(previousStart);
      expect(chunk.hash).toMatch(/^[0-9a-f]{64}$/);
      previousStart = chunk.start;
      covered.fill(1, chunk.start, chunk.end);
    }
    // No text is lost: every non-space character of every block is in some chunk.
    for (const block of section.blocks) {
      for (let i = block.start; i < block.end; i++) {
        if (!/\s/.test(section.text[i]!) && !covered[i]) {
          throw new Error(
            `${section.anchor}: character ${i} (${JSON.stringify(section.text.slice(i, i + 20))}) is in no chunk`,
          );
        }
      }
    }
    all.push(...chunks);
  }
  expect(new Set(all.map((c) => c.id)).size, 'chunk ids are unique').toBe(all.length);
  expect(new Set(sections.map((s) => s.anchor)).size, 'anchors are unique within a document').toBe(sections.length);
  return { sections, chunks: all };
}

/** The section of the fixture document alpha.md with this anchor. */
async function alphaSection(anchor: string): Promise<Section> {
  const [alpha] = await loadCorpus(fixtureCorpusDir);
  return splitSections(alpha!).find((s) => s.anchor === anchor)!;
}

function syntheticDocument(markdown: string): SourceDocument {
  return {
    id: 'generated',
    fileName: 'generated.md',
    title: 'Generated Guide',
    sourceUrl: null,
    author: null,
    published: null,
    updated: null,
    markdown,
    sha256: '0'.repeat(64),
  };
}

describe('chunkSection on the fixture corpus', () => {
  it('keeps every chunk inside its section, within bounds, losing no text', async () => {
    const documents = await loadCorpus(fixtureCorpusDir);
    expect(documents.map((d) => d.id)).toEqual(['alpha', 'beta']);
    for (const doc of documents) expectChunkProperties(doc);
  });

  it('splits a section longer than maxChars into several chunks, with overlap between sentence-split pieces', async () => {
    const long = await alphaSection('inspecting-a-colony');
    expect(long.text.length).toBeGreaterThan(defaultChunkOptions.maxChars);
    const chunks = chunkSection(long);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    // The first paragraph (longer than maxChars) is split on sentences; the next piece repeats
    // the tail of the previous one so a passage keeps some context.
    expect(chunks[1]!.start).toBeLessThan(chunks[0]!.end);
    expect(chunks[0]!.text).toMatch(/^Open the hive/);
    expect(chunks[0]!.text).toMatch(/[.!?]$/);
    // A single sentence longer than maxChars is cut at a word boundary.
    const cut = chunks.find((c) => c.text.startsWith('The smoker'))!;
    expect(cut.text.length).toBeLessThanOrEqual(defaultChunkOptions.maxChars);
    expect(long.text[cut.end]).toBe(' ');
  });

  it('packs short blocks of a section together', async () => {
    const harvest = await alphaSection('harvest');
    expect(harvest.blocks).toHaveLength(3); // table header + two rows
    const chunks = chunkSection(harvest);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.text).toBe('Month | Task\n\nJuly | Take off full supers\n\nAugust | Extract and jar the honey');
  });

  it('hashes the passage with its heading path: the same text under another heading is another chunk', () => {
    const section = (headingPath: string[]): Section => ({
      document: 'd',
      heading: headingPath.at(-1)!,
      headingPath,
      anchor: 'a',
      text: 'Same words here.',
      blocks: [{ start: 0, end: 16, shape: { kind: 'paragraph' } }],
    });
    const [a] = chunkSection(section(['Doc', 'One']));
    const [b] = chunkSection(section(['Doc', 'Two']));
    const [c] = chunkSection(section(['Doc', 'One']));
    expect(a!.hash).not.toBe(b!.hash);
    expect(a!.hash).toBe(c!.hash);
  });
});

describe('chunkSection on the real corpus', () => {
  it('holds the chunk properties for every document in corpus/', async () => {
    const documents = await loadCorpus(realCorpusDir);
    expect(documents.length).toBeGreaterThan(0);
    let chunkCount = 0;
    for (const doc of documents) {
      const { sections, chunks } = expectChunkProperties(doc);
      expect(sections.length).toBeGreaterThan(1);
      chunkCount += chunks.length;
    }
    expect(chunkCount).toBeGreaterThan(10);
  });

  it('holds them with other chunk sizes too', async () => {
    const documents = await loadCorpus(realCorpusDir);
    for (const options of [
      { maxChars: 120, minChars: 40, overlapChars: 30 },
      { maxChars: 300, minChars: 0, overlapChars: 0 },
      { maxChars: 2000, minChars: 500, overlapChars: 200 },
    ]) {
      for (const doc of documents) expectChunkProperties(doc, options);
    }
  });
});

describe('chunkSection properties on generated Markdown', () => {
  const word = fc.constantFrom(
    'bees',
    'hive',
    'queen',
    'frame',
    'honey',
    'smoker',
    'colony',
    'café',
    'naïve',
    'Straße',
    'e.g.',
    'Dr.',
    'U.S.',
    'well-known',
    "it's",
    '**bold**',
    '`code`',
    '[link](https://example.com)',
    '2024',
    '3.5',
    '—',
    'x'.repeat(90),
  );
  const sentence = fc
    .tuple(fc.array(word, { minLength: 1, maxLength: 40 }), fc.constantFrom('.', '!', '?', '', '...', ':'))
    .map(([words, end]) => `${words.join(' ')}${end}`);
  const paragraph = fc.array(sentence, { minLength: 1, maxLength: 12 }).map((s) => s.join(' '));
  const heading = fc
    .tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom('Notes', 'FAQ', 'Getting Started', 'Über Café', "What's new?", 'A & B', 'Notes 1'),
    )
    .map(([level, text]) => `${'#'.repeat(level)} ${text}`);
  const list = fc.array(sentence, { minLength: 1, maxLength: 5 }).map((items) => items.map((i) => `- ${i}`).join('\n'));
  const block = fc.oneof(
    { arbitrary: paragraph, weight: 4 },
    { arbitrary: heading, weight: 2 },
    { arbitrary: list, weight: 1 },
  );
  const markdown = fc.array(block, { minLength: 1, maxLength: 25 }).map((blocks) => blocks.join('\n\n'));
  const options = fc
    .record({
      maxChars: fc.integer({ min: 40, max: 900 }),
      minFraction: fc.double({ min: 0, max: 0.9, noNaN: true }),
      overlapChars: fc.integer({ min: 0, max: 200 }),
    })
    .map(({ maxChars, minFraction, overlapChars }) => ({
      maxChars,
      minChars: Math.floor(maxChars * minFraction),
      overlapChars,
    }));

  it('every chunk is inside one section, matches its offsets, respects maxChars and no text is lost', () => {
    fc.assert(
      fc.property(markdown, options, (md, opts) => {
        expectChunkProperties(syntheticDocument(md), opts);
      }),
      { numRuns: 150 },
    );
  });
});
