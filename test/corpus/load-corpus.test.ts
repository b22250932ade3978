import { createHash } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorpusError, loadCorpus, parseDocument } from '../../src/corpus/load-corpus.ts';
import { splitSections } from '../../src/corpus/split-sections.ts';
import { fixtureCorpusDir, useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-corpus-');

/** A corpus folder holding one good document plus `files`. */
async function corpusWith(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, 'good.md'), '# Good\n\nA fine document.\n');
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

/** loadCorpus must reject with a one-line CorpusError whose message names `needle`. */
async function expectCorpusError(dir: string, needle: string, reason: RegExp): Promise<void> {
  const error = await loadCorpus(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CorpusError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  expect(message).toContain(needle);
  expect(message).toMatch(reason);
}

/** loadCorpus must refuse a corpus holding `name` (and one good document), naming that file. */
async function expectFileRefused(name: string, content: string | Uint8Array, reason: RegExp): Promise<void> {
  const dir = await corpusWith({ [name]: content });
  await expectCorpusError(dir, join(dir, name), reason);
}

describe('loadCorpus', () => {
  it('loads the fixture corpus sorted by file name with front matter parsed', async () => {
    const [alpha, beta] = await loadCorpus(fixtureCorpusDir);
    expect(alpha).toMatchObject({
      id: 'alpha',
      fileName: 'alpha.md',
      title: 'Alpha Field Guide',
      author: 'Test Author',
      // YAML dates come back as the ISO date that was written, not a Date or a timestamp
      published: '2024-05-24',
      updated: '2024-06-01',
      sourceUrl: 'https://example.com/guides/alpha',
    });
    expect(alpha!.markdown).not.toContain('source_url');
    expect(alpha!.markdown.startsWith('This guide opens')).toBe(true);
    expect(beta).toMatchObject({ id: 'beta', title: 'Beta Handbook', author: null, published: null, sourceUrl: null });
  });

  it('records the sha256 of the file bytes', async () => {
    const bytes = Buffer.from('# T\n\nText.\n');
    expect(parseDocument('/x/t.md', bytes).sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('accepts a UTF-8 byte order mark before the front matter', () => {
    const doc = parseDocument('/x/bom.md', Buffer.from('\uFEFF---\ntitle: With BOM\n---\n\nBody text.\n'));
    expect(doc.title).toBe('With BOM');
    expect(doc.markdown).toBe('Body text.\n');
  });

  it('names every other file once in a warning and goes on; config and dot files pass silently', async () => {
    const dir = await corpusWith({
      'photo.png': new Uint8Array([0, 1, 2]),
      'notes.docx': 'x',
      'assistant.yaml': 'name: X\n',
      'synonyms.txt': 'a, b\n',
      '.fetch-state.json': '{}',
      '.DS_Store': 'x',
    });
    const warnings: string[] = [];
    const documents = await loadCorpus(dir, { onWarning: (w) => warnings.push(w) });
    expect(documents.map((d) => d.fileName)).toEqual(['good.md']);
    expect(warnings).toEqual([
      'skipped notes.docx: not .md, .html or .txt',
      'skipped photo.png: not .md, .html or .txt',
    ]);
  });

  it('ingests .txt documents: title from a first line that reads like one, paragraphs, one section', async () => {
    const text =
      'Office Hours for New PMs\n\nBring one question & a *real* example.\nKeep it short.\n\n# Not a heading, just text\n';
    const dir = await corpusWith({ 'office-hours.txt': text });
    const doc = (await loadCorpus(dir)).find((d) => d.fileName === 'office-hours.txt')!;
    expect(doc).toMatchObject({ id: 'office-hours', title: 'Office Hours for New PMs', sourceUrl: null });
    const sections = splitSections(doc);
    expect(sections).toHaveLength(1);
    expect(sections[0]!.heading).toBe('Office Hours for New PMs');
    // Markdown characters are text: nothing was made bold, and "#" made no heading.
    expect(sections[0]!.text).toBe(
      'Bring one question & a *real* example. Keep it short.\n\n# Not a heading, just text',
    );
  });

  it('titles a .txt document from its file name when the first line is a sentence', async () => {
    const dir = await corpusWith({ 'hiring_tips-2024.txt': 'Ask for a work sample. It tells you more than a CV.\n' });
    const doc = (await loadCorpus(dir)).find((d) => d.id === 'hiring_tips-2024')!;
    expect(doc.title).toBe('Hiring tips 2024');
    expect(splitSections(doc).map((s) => s.text)).toEqual(['Ask for a work sample. It tells you more than a CV.']);
  });

  it('accepts dates as YAML dates, quoted ISO dates and date-times', () => {
    const doc = parseDocument(
      '/x/d.md',
      Buffer.from('---\npublished: 2024-05-24\nupdated: "2024-06-01T10:00:00Z"\n---\n\nText.\n'),
    );
    expect(doc).toMatchObject({ published: '2024-05-24', updated: '2024-06-01T10:00:00Z' });
  });

  describe('rejects, with one line naming the folder or file,', () => {
    it('a missing corpus folder', async () => {
      const dir = join(await tempDir(), 'nope');
      await expectCorpusError(dir, dir, /not found.*CORPUS_DIR/);
    });

    it('a corpus path that is a file', async () => {
      const file = join(await tempDir(), 'corpus.md');
      await writeFile(file, '# x');
      await expectCorpusError(file, file, /not a folder/);
    });

    it('an empty folder', async () => {
      const dir = await tempDir();
      await expectCorpusError(dir, dir, /no documents \(\.md, \.html or \.txt files\)/);
    });

    it('a folder with no documents, only config and other files', async () => {
      const dir = await tempDir();
      await writeFile(join(dir, 'assistant.yaml'), 'name: X\n');
      await writeFile(join(dir, 'synonyms.txt'), 'a, b\n');
      await writeFile(join(dir, 'photo.png'), new Uint8Array([1]));
      await expectCorpusError(dir, dir, /no documents/);
    });

    it('two documents with the same name (guide.md and guide.txt)', async () => {
      const dir = await corpusWith({ 'guide.md': '# Guide\n\nText.\n', 'guide.txt': 'Guide\n\nText.\n' });
      await expectCorpusError(dir, join(dir, 'guide.txt'), /same document name as guide\.md/);
    });

    it('a .txt file with no text', async () => {
      await expectFileRefused('dots.txt', '...\n\n---\n', /no text/);
    });

    it.each([
      ['published: not-a-date', 'published'],
      ['updated: 2024-13-45', 'updated'],
      ['published: "May 2024"', 'published'],
      ['published: 20240524', 'published'],
      ['updated: [2024-05-24]', 'updated'],
    ])('a front matter date that is not one (%s)', async (line, field) => {
      await expectFileRefused(
        'bad-date.md',
        `---\n${line}\n---\n\n# Body\n\nText.\n`,
        new RegExp(`invalid front matter field "${field}" \\(expected a date such as 2024-05-24\\)`),
      );
    });

    it('an unreadable entry (a folder named x.md)', async () => {
      const dir = await corpusWith({});
      await mkdir(join(dir, 'x.md'));
      await expectCorpusError(dir, join(dir, 'x.md'), /cannot be read \(EISDIR\)/);
    });

    it.skipIf(process.getuid?.() === 0)(
      'an unreadable file (chmod 000; skipped as root, where chmod 000 does not stop reads)',
      async () => {
        const dir = await corpusWith({ 'locked.md': '# Locked\n\nSecret.\n' });
        await chmod(join(dir, 'locked.md'), 0o000);
        await expectCorpusError(dir, join(dir, 'locked.md'), /cannot be read \(EACCES\)/);
      },
    );

    it('a binary file', async () => {
      await expectFileRefused('binary.md', new Uint8Array([0x23, 0x20, 0x41, 0x00, 0x01, 0x02, 0xff]), /binary file/);
    });

    it('a file that is not UTF-8', async () => {
      // "café" in Latin-1: 0xE9 is not valid UTF-8 on its own.
      await expectFileRefused('latin1.md', new Uint8Array([...Buffer.from('# Caf'), 0xe9, 0x0a]), /not valid UTF-8/);
    });

    it('an empty document', async () => {
      await expectFileRefused('empty.md', '', /empty document/);
    });

    it('a document of white space only', async () => {
      await expectFileRefused('blank.md', ' \n\t\n  \n', /empty document/);
    });

    it('a document with front matter and no text', async () => {
      await expectFileRefused('only-front.md', '---\ntitle: Nothing here\n---\n\n---\n', /no text/);
    });

    it('front matter that is not valid YAML', async () => {
      await expectFileRefused(
        'bad-yaml.md',
        '---\ntitle: [unclosed\nauthor: "x\n---\n\n# Body\n\nText.\n',
        /invalid front matter \(.*line \d+.*\)$/,
      );
    });

    it('a source_url that is not a URL', async () => {
      await expectFileRefused(
        'bad-url.md',
        '---\nsource_url: not a url\n---\n\n# Body\n\nText.\n',
        /invalid front matter field "source_url"/,
      );
    });

    it('a source_url that is not http(s)', async () => {
      await expectFileRefused(
        'ftp-url.md',
        '---\nsource_url: ftp://example.com/guide\n---\n\n# Body\n\nText.\n',
        /invalid front matter field "source_url"/,
      );
    });

    it('a title that is not a string', async () => {
      await expectFileRefused(
        'number-title.md',
        '---\ntitle:\n  nested: true\n---\n\n# Body\n\nText.\n',
        /invalid front matter field "title"/,
      );
    });
  });
});
