import { createHash } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { CorpusError, loadCorpus } from '../../src/corpus/load-corpus.ts';
import { splitSections } from '../../src/corpus/split-sections.ts';
import { indexIsCurrent } from '../../src/ingest/index-freshness.ts';
import { runIngest } from '../../src/ingest/run-ingest.ts';
import { pagesFixtureDir } from '../helpers/pages.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs('atg-html-corpus-');

async function corpusWith(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, 'good.md'), '# Good\n\nA fine document.\n');
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

describe('.html files in the corpus', () => {
  it('are ingested through article extraction: title, byline, date and sections from the page', async () => {
    const dir = await corpusWith({});
    await copyFile(join(pagesFixtureDir, 'transition-article.html'), join(dir, 'transition.html'));
    const documents = await loadCorpus(dir);
    expect(documents.map((d) => d.fileName)).toEqual(['good.md', 'transition.html']);
    const page = documents[1]!;
    expect(page).toMatchObject({
      id: 'transition',
      title: 'How to Transition to Product Management From ANY Background',
      author: 'Carlos González De Villaumbrosia',
      published: '2024-05-24',
      sourceUrl: null,
    });
    const bytes = await readFile(join(dir, 'transition.html'));
    expect(page.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const sections = splitSections(page).map((s) => s.heading);
    expect(sections.slice(0, 3)).toEqual([
      'How to Transition to Product Management From ANY Background',
      'How to Pivot into Product Management',
      'How to Transition from Project Manager to Product Manager',
    ]);
    expect(page.markdown).not.toMatch(/Sign up free|Share this post|<[a-z]/i);
  });

  it('count in the corpus fingerprint: an index built with one is current until the HTML changes', {
    timeout: 60_000,
  }, async () => {
    const dir = await corpusWith({});
    await copyFile(join(pagesFixtureDir, 'transition-article.html'), join(dir, 'transition.html'));
    const config = loadConfig({ CORPUS_DIR: dir, INDEX_DIR: join(await tempDir(), 'index') });
    await runIngest({ config });
    expect(await indexIsCurrent(config)).toBe(true);
    await writeFile(
      join(dir, 'transition.html'),
      (await readFile(join(dir, 'transition.html'), 'utf8')).replace('That’s great!', 'Great!'),
    );
    expect(await indexIsCurrent(config)).toBe(false);
  });

  it('accepts an HTML fragment without <html> or <body>', async () => {
    const paragraph =
      '<p>Onboarding takes a week, with a buddy, a checklist, and a first small change shipped by Friday, reviewed by the team.</p>';
    const dir = await corpusWith({
      'notes.html': `<h1>Team notes</h1>${paragraph}${paragraph.replace('Onboarding', 'Support')}`,
    });
    const notes = (await loadCorpus(dir)).find((d) => d.id === 'notes')!;
    expect(notes.title).toBe('Team notes');
    expect(notes.markdown).toContain('Support takes a week');
  });

  it.each([
    [
      'a page with no article',
      '<html><body><nav><a href="/">Home</a></nav><form><button>Sign in</button></form></body></html>',
      /no article found/,
    ],
    ['a binary file', new Uint8Array([60, 104, 0, 1]), /binary file/],
    ['invalid UTF-8', new Uint8Array([0x3c, 0x70, 0x3e, 0xff, 0xfe]), /not valid UTF-8/],
  ])('refuse %s with one line naming the file', async (_what, content, reason) => {
    const dir = await corpusWith({ 'page.html': content });
    const error = await loadCorpus(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorpusError);
    expect((error as Error).message).toContain(join(dir, 'page.html'));
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain('\n');
  });
});
