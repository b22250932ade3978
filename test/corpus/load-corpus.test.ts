import { createHash } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorpusError, loadCorpus, parseDocument } from '../../src/corpus/load-corpus.ts';
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

  it('ignores files that are not Markdown', async () => {
    const dir = await corpusWith({ 'notes.txt': 'not markdown', 'image.png': new Uint8Array([0, 1, 2]) });
    expect((await loadCorpus(dir)).map((d) => d.fileName)).toEqual(['good.md']);
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
      await expectCorpusError(dir, dir, /no Markdown/);
    });

    it('a folder with no .md files', async () => {
      const dir = await tempDir();
      await writeFile(join(dir, 'readme.txt'), 'hello');
      await expectCorpusError(dir, dir, /no Markdown/);
    });

    it('an unreadable entry (a folder named x.md)', async () => {
      const dir = await corpusWith({});
      await mkdir(join(dir, 'x.md'));
      await expectCorpusError(dir, join(dir, 'x.md'), /cannot be read \(EISDIR\)/);
    });

    it.skipIf(process.getuid?.() === 0)('an unreadable file (chmod 000; skipped as root, where chmod 000 does not stop reads)', async () => {
      const dir = await corpusWith({ 'locked.md': '# Locked\n\nSecret.\n' });
      await chmod(join(dir, 'locked.md'), 0o000);
      await expectCorpusError(dir, join(dir, 'locked.md'), /cannot be read \(EACCES\)/);
    });

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
      await expectFileRefused('bad-yaml.md', '---\ntitle: [unclosed\nauthor: "x\n---\n\n# Body\n\nText.\n', /invalid front matter/);
    });

    it('a source_url that is not a URL', async () => {
      await expectFileRefused('bad-url.md', '---\nsource_url: not a url\n---\n\n# Body\n\nText.\n', /invalid front matter field "source_url"/);
    });

    it('a source_url that is not http(s)', async () => {
      await expectFileRefused('ftp-url.md', '---\nsource_url: ftp://example.com/guide\n---\n\n# Body\n\nText.\n', /invalid front matter field "source_url"/);
    });

    it('a title that is not a string', async () => {
      await expectFileRefused('number-title.md', '---\ntitle:\n  nested: true\n---\n\n# Body\n\nText.\n', /invalid front matter field "title"/);
    });
  });
});
