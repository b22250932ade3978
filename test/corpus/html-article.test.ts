import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import matter from 'gray-matter';
import { lexer, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { extractArticle, NoArticleError } from '../../src/corpus/html-article.ts';
import { blockTexts, inlineText } from '../../src/corpus/markdown-text.ts';
import { pagesFixtureDir } from '../helpers/pages.ts';
import { realCorpusDir } from '../helpers/temp-dir.ts';

const PAGE_URL = 'https://guide.example/blog/transition';

/** Every token of a Markdown text, nested ones included. */
function allTokens(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => {
    const inner = [
      ...('tokens' in t && t.tokens ? t.tokens : []),
      ...('items' in t && Array.isArray(t.items) ? (t.items as Token[]) : []),
      ...(t.type === 'table'
        ? [...(t as Tokens.Table).header, ...(t as Tokens.Table).rows.flat()].flatMap((c) => c.tokens)
        : []),
    ];
    return [t, ...allTokens(inner)];
  });
}

const headings = (markdown: string) =>
  lexer(markdown)
    .filter((t): t is Tokens.Heading => t.type === 'heading')
    .map((h) => `${'#'.repeat(h.depth)} ${inlineText(h.tokens)}`);

describe('extractArticle on a chrome-heavy article page', async () => {
  const html = await readFile(join(pagesFixtureDir, 'transition-article.html'), 'utf8');
  const curated = matter(await readFile(join(realCorpusDir, 'transition-product-management-background.md'), 'utf8'));
  const article = await extractArticle(html, PAGE_URL);

  it('reads title, author and date from the page metadata', () => {
    expect(article).toMatchObject({
      title: 'How to Transition to Product Management From ANY Background',
      author: 'Carlos González De Villaumbrosia',
      published: '2024-05-24',
    });
  });

  it('keeps the article: the same headings, levels and passages as the curated corpus file', () => {
    expect(article.markdown.startsWith('# How to Transition to Product Management From ANY Background\n\n')).toBe(true);
    expect(headings(article.markdown)).toEqual(headings(curated.content));
    expect(headings(article.markdown).filter((h) => h.startsWith('## '))).toHaveLength(10);
    // What gets indexed: the plain text of every paragraph and list item, in order.
    expect(blockTexts(lexer(article.markdown))).toEqual(blockTexts(lexer(curated.content)));
  });

  it('keeps lists as Markdown lists', () => {
    expect(article.markdown).toContain(
      '1. Make the move to product within your own company.\n2. Move to a role similar',
    );
    expect(article.markdown).toContain('\n- **Customer service:** Understanding how to solve customer/user problems');
  });

  it.each([
    ['promo banner', 'ProductCon'],
    ['site navigation', 'Certifications'],
    ['header buttons', 'Log in'],
    ['"Sign up free" buttons', 'Sign up free'],
    ['in-article call to action', 'Join 2 million product people'],
    ['course card buttons', 'Enroll for Free'],
    ['image alt text', 'Thumbnail'],
    ['image alt text', 'Carlos headshot'],
    ['image captions', 'Photo: a product team'],
    ['breadcrumbs', '›'],
    ['byline date', '8 min read'],
    ['updated stamps', 'Updated:'],
    ['share links', 'Share on LinkedIn'],
    ['share footer', 'Share this post'],
    ['accordion buttons', 'What skills do you need to become a product manager?'],
    ['newsletter form', 'Subscribe to The Product Blog'],
    ['newsletter form', 'By sharing your email'],
    ['related posts', 'Related posts'],
    ['related posts', 'How to Write a Product Requirements Document'],
    ['sidebar', 'Popular posts'],
    ['tags', 'Tags:'],
    ['site footer', 'All rights reserved'],
    ['cookie banner', 'We use cookies'],
    ['skip link', 'Skip to content'],
  ])('drops the %s (%s)', (_what, text) => {
    expect(article.markdown).not.toContain(text);
  });

  it('has no image and no raw HTML, and links only to absolute web addresses', () => {
    const tokens = allTokens(lexer(article.markdown));
    expect(tokens.filter((t) => t.type === 'html' || t.type === 'image')).toEqual([]);
    const links = tokens.filter((t): t is Tokens.Link => t.type === 'link').map((l) => l.href);
    expect(links).toEqual(['https://guide.example/free-micro-certifications']);
  });
});

describe('extractArticle conversions', () => {
  const page = (body: string, head = '') =>
    `<!doctype html><html><head><title>Notes | Site</title>${head}</head><body><nav><a href="/">Home</a></nav>` +
    `<main><article><h1>Field Notes</h1>${body}</article></main></body></html>`;
  const filler =
    '<p>This paragraph is here so that the page holds an article of a realistic length, with commas, clauses, ' +
    'and enough letters for Readability to take it as the main content of the page, as it would a real post.</p>' +
    '<p>A second paragraph follows it, because an article of one paragraph is rare, and because the extraction ' +
    'counts letters before it believes that a page holds an article at all.</p>';

  it('keeps h2 as ## and h3 as ###, ordered lists from their start, nested lists indented', async () => {
    const { markdown } = await extractArticle(
      page(
        `${filler}<h2>Getting started</h2><p>First, a plan, written down, and shared with everyone.</p><h3>Details</h3>` +
          '<ol start="3"><li>three</li><li>four<ul><li>nested</li></ul></li></ol>',
      ),
    );
    expect(headings(markdown)).toEqual(['# Field Notes', '## Getting started', '### Details']);
    expect(markdown).toContain('3. three\n4. four\n   - nested');
  });

  it('turns tables into GFM tables (a headerless one gets its first row as header), a cell line break into a space', async () => {
    const { markdown } = await extractArticle(
      page(
        `${filler}<table><thead><tr><th>Role</th><th>Strength</th></tr></thead><tbody><tr><td>Sales</td><td>Targets</td></tr></tbody></table>` +
          '<table><tr><td>left<br>cell</td><td>right</td></tr><tr><td>a</td><td>b</td></tr></table>',
      ),
    );
    expect(markdown).toMatch(/\| Role +\| Strength +\|\n\| -+ \| -+ \|\n\| Sales +\| Targets +\|/);
    expect(markdown).toMatch(/\| left cell \| right +\|\n\| -+ \| -+ \|\n\| a +\| b +\|/);
    expect(markdown).not.toMatch(/^\|( +\|)+$/m);
    const tables = lexer(markdown).filter((t) => t.type === 'table');
    expect(tables).toHaveLength(2);
  });

  it('spells out a table with lists in its cells as blocks instead of keeping its HTML', async () => {
    const { markdown } = await extractArticle(
      page(
        `${filler}<table><tr><th>Step</th><th>Notes</th></tr><tr><td>Plan</td><td><ul><li>write it down</li><li>share it</li></ul></td></tr></table>`,
      ),
    );
    expect(markdown).not.toMatch(/<\/?(table|td|tr|ul|li|div)/);
    expect(markdown).toContain('- write it down\n- share it');
    expect(allTokens(lexer(markdown)).filter((t) => t.type === 'html')).toEqual([]);
  });

  it('keeps text that looks like HTML as text: never a tag, an entity or an image in the Markdown', async () => {
    const { markdown } = await extractArticle(
      page(
        `${filler}<p>Type &lt;img src=x onerror=alert(1)&gt; and &amp;copy; and &lt;script&gt;alert(2)&lt;/script&gt; literally.</p>` +
          '<p><img src="x.png" alt="a picture"> <svg><text>vector words</text></svg><a href="javascript:alert(3)">click here</a> ' +
          'and <a href="/docs">the docs</a>, <a href="#top">back to top</a>.</p>',
      ),
      'https://site.example/blog/post',
    );
    const tokens = allTokens(lexer(markdown));
    expect(tokens.filter((t) => t.type === 'html' || t.type === 'image')).toEqual([]);
    const text = blockTexts(lexer(markdown))
      .map((b) => b.text)
      .join('\n');
    expect(text).toContain('Type <img src=x onerror=alert(1)> and &copy; and <script>alert(2)</script> literally.');
    expect(text).toContain('click here and the docs, back to top.');
    expect(text).not.toMatch(/a picture|vector words/);
    expect(tokens.filter((t): t is Tokens.Link => t.type === 'link').map((l) => l.href)).toEqual([
      'https://site.example/docs',
    ]);
  });

  it('reads author and date from meta tags, then <time>; an unreadable date is left out', async () => {
    const withMeta = await extractArticle(
      page(
        filler,
        '<meta name="author" content="Ada Example"><meta property="article:published_time" content="2023-11-02T22:30:00-08:00">',
      ),
    );
    expect(withMeta).toMatchObject({ title: 'Field Notes', author: 'Ada Example', published: '2023-11-02' });
    const withTime = await extractArticle(
      page(
        `<p class="byline">By <a rel="author" href="/u/grace">Grace Hopper</a></p><p><time datetime="2021-03-04">March 4</time></p>${filler}`,
      ),
    );
    expect(withTime).toMatchObject({ author: 'Grace Hopper', published: '2021-03-04' });
    const badDate = await extractArticle(page(filler, '<meta property="article:published_time" content="soon">'));
    expect(badDate).toMatchObject({ author: null, published: null });
  });

  it('refuses a page without an article', async () => {
    const login =
      '<!doctype html><html><head><title>Sign in</title></head><body><header><nav><a href="/">Home</a></nav></header>' +
      '<main><form><input name="user"><button>Sign in</button></form><p>Forgot your password?</p></main></body></html>';
    await expect(extractArticle(login)).rejects.toThrow(NoArticleError);
    await expect(extractArticle('')).rejects.toThrow(NoArticleError);
    await expect(extractArticle('<p>Just a line.</p>')).rejects.toThrow(NoArticleError);
  });
});
