import { describe, expect, it } from 'vitest';
import { loadCorpus, parseDocument } from '../../src/corpus/load-corpus.ts';
import { splitSections } from '../../src/corpus/split-sections.ts';
import { fixtureCorpusDir, realCorpusDir } from '../helpers/temp-dir.ts';

const doc = (markdown: string) => parseDocument('/virtual/guide.md', Buffer.from(markdown));
const outline = (markdown: string) =>
  splitSections(doc(markdown)).map((s) => ({ path: s.headingPath, anchor: s.anchor }));

describe('splitSections', () => {
  it('gives the fixture documents the expected heading paths and unique GitHub-style anchors', async () => {
    const [alpha, beta] = await loadCorpus(fixtureCorpusDir);
    expect(splitSections(alpha!).map((s) => [s.headingPath.join(' > '), s.anchor])).toEqual([
      ['Alpha Field Guide', 'alpha-field-guide'],
      ['Getting Started', 'getting-started'],
      ['Getting Started > Choosing a Hive', 'choosing-a-hive'],
      ['Getting Started > Choosing a Hive > Notes', 'notes'],
      // "Placing the Hive" has no text of its own: dropped, but it still holds its place in the path.
      ['Getting Started > Placing the Hive > Notes', 'notes-1'],
      ['Getting Started > Inspecting a Colony', 'inspecting-a-colony'],
      ['Getting Started > Getting Started', 'getting-started-1'],
      ['Getting Started > Harvest', 'harvest'],
    ]);
    expect(splitSections(beta!).map((s) => [s.headingPath.join(' > '), s.anchor])).toEqual([
      ['Beta Handbook', 'beta-handbook'],
      ['Beta Handbook > FAQ', 'faq'],
      ['Beta Handbook > Equipment > Protective Gear', 'protective-gear'],
      ['Beta Handbook > Using the smoker safely', 'using-the-smoker-safely'],
      ["Beta Handbook > What's new? (2024)", 'whats-new-2024'],
      ['Beta Handbook > FAQ', 'faq-1'],
    ]);
  });

  it('keeps the heading as written (inline Markdown reduced to its text) and the section text as plain blocks', async () => {
    const [, beta] = await loadCorpus(fixtureCorpusDir);
    const sections = splitSections(beta!);
    const smoker = sections.find((s) => s.anchor === 'using-the-smoker-safely')!;
    expect(smoker.heading).toBe('Using the smoker safely');
    expect(smoker.text).toBe('light the fuel, puff gently, wait a minute');
    const gear = sections.find((s) => s.anchor === 'protective-gear')!;
    // A paragraph and a blockquote: two blocks joined by a blank line, the quote marker gone.
    expect(gear.blocks).toHaveLength(2);
    expect(gear.text).toBe(
      'A jacket with a zipped veil keeps stings away from the face.\n\nGloves are optional for calm colonies, but beginners should wear them.',
    );
    for (const section of sections) {
      expect(section.blocks.map((b) => section.text.slice(b.start, b.end)).join('\n\n')).toBe(section.text);
    }
  });

  it('puts text before the first heading in a section named after the title', () => {
    const sections = splitSections(doc('---\ntitle: My Guide\n---\nOpening words.\n\n## First\n\nBody.\n'));
    expect(sections[0]).toMatchObject({
      heading: 'My Guide',
      headingPath: ['My Guide'],
      anchor: 'my-guide',
      text: 'Opening words.',
    });
    expect(sections[1]).toMatchObject({ heading: 'First', headingPath: ['First'], anchor: 'first', text: 'Body.' });
  });

  it('names the title section after the file when there is neither front matter title nor heading', () => {
    expect(outline('Just a paragraph, no headings at all.\n')).toEqual([{ path: ['guide'], anchor: 'guide' }]);
  });

  it('lets a leading heading replace the title section, so its anchor is not suffixed', () => {
    expect(outline('# Title\n\nIntro.\n\n## Part\n\nText.\n')).toEqual([
      { path: ['Title'], anchor: 'title' },
      { path: ['Title', 'Part'], anchor: 'part' },
    ]);
  });

  it('pops the heading path back up when a shallower heading follows a deeper one', () => {
    expect(
      outline('# A\n\na\n\n## B\n\nb\n\n### C\n\nc\n\n#### D\n\nd\n\n## E\n\ne\n\n# F\n\nf\n\n### G\n\ng\n'),
    ).toEqual([
      { path: ['A'], anchor: 'a' },
      { path: ['A', 'B'], anchor: 'b' },
      { path: ['A', 'B', 'C'], anchor: 'c' },
      { path: ['A', 'B', 'C', 'D'], anchor: 'd' },
      { path: ['A', 'E'], anchor: 'e' },
      { path: ['F'], anchor: 'f' },
      { path: ['F', 'G'], anchor: 'g' },
    ]);
  });

  it('suffixes repeated headings -1, -2, ... like GitHub, counting dropped empty sections', () => {
    expect(
      outline('# Doc\n\nx\n\n## Notes\n\n## Notes\n\ny\n\n## Notes\n\nz\n\n## Notes 1\n\nw\n').map((s) => s.anchor),
    ).toEqual([
      'doc',
      // the first "Notes" has no text and is dropped, but took the slug "notes"
      'notes-1',
      'notes-2',
      // GitHub gives "Notes 1" the slug "notes-1-1" because "notes-1" is already taken
      'notes-1-1',
    ]);
  });

  it('gives every section of the real corpus a unique anchor and a path starting at a top-level heading', async () => {
    for (const document of await loadCorpus(realCorpusDir)) {
      const sections = splitSections(document);
      expect(new Set(sections.map((s) => s.anchor)).size).toBe(sections.length);
      for (const s of sections) {
        expect(s.anchor).toMatch(/^[\p{Ll}\p{N}_-]+$/u);
        expect(s.headingPath.at(-1)).toBe(s.heading);
        expect(s.headingPath[0]).toBe(document.title);
      }
    }
  });
});
