import type { parseHTML } from 'linkedom/worker';
import { loadHtmlLibraries } from './html-libraries.ts';
import { isoDate, pageMetadata } from './html-metadata.ts';
import { htmlToMarkdown } from './html-to-markdown.ts';

/**
 * The main article of an HTML page, as corpus Markdown: `# title`, then the article's own
 * headings (h2 as `##`, h3 as `###`), paragraphs, lists and tables. Page chrome, images and
 * raw HTML are gone: the Markdown is text, never HTML to render.
 */
export interface HtmlArticle {
  title: string;
  author: string | null;
  /** `YYYY-MM-DD`, when the page states a valid date. */
  published: string | null;
  /** `# title` and the article body. */
  markdown: string;
}

/** The page has no article worth indexing: Readability found nothing, or only a few words. */
export class NoArticleError extends Error {
  override name = 'NoArticleError';
}

/** Fewer letters than this and the "article" is a login wall, a script-only app shell or an error page. */
const MIN_ARTICLE_LETTERS = 100;

/**
 * Whole elements that are never part of an article's text. Images and captions go with them:
 * an image carries no passage text, and a caption or alt text read out of context is noise.
 */
const CHROME_ELEMENTS = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'canvas',
  'video',
  'audio',
  'img',
  'picture',
  'figcaption',
  'form',
  'button',
  'input',
  'select',
  'textarea',
  'dialog',
  'nav',
  'header',
  'footer',
  'aside',
  '[role="navigation"]',
  '[role="banner"]',
  '[role="contentinfo"]',
  '[role="complementary"]',
  '[role="dialog"]',
  '[role="button"]',
  '[aria-hidden="true"]',
  '[hidden]',
].join(', ');

/**
 * Words that, as one part of a class or id (`share-bar`, `related_posts`, `promo-banner`,
 * `btn-primary`), mark a block as chrome. Readability drops some of these itself, but not
 * when the name also says "article" or "content" (`related-articles`), nor links styled
 * as buttons.
 */
const CHROME_NAME_PARTS = new Set([
  'share',
  'sharing',
  'social',
  'newsletter',
  'subscribe',
  'subscription',
  'signup',
  'related',
  'recommended',
  'promo',
  'promotion',
  'banner',
  'advert',
  'advertisement',
  'ad',
  'ads',
  'sponsor',
  'sponsored',
  'cookie',
  'cookies',
  'consent',
  'popup',
  'modal',
  'breadcrumb',
  'breadcrumbs',
  'sidebar',
  'comments',
  'comment',
  'btn',
  'button',
  'cta',
  'caption',
  'byline',
  'meta',
  'toc',
  'nav',
  'navbar',
  'menu',
  'header',
  'footer',
  'masthead',
  'skip',
  'tags',
  'author',
  'date',
  'dateline',
  'timestamp',
]);

/**
 * Extract the main article of a page. `url` resolves relative links (they stay links only
 * when they are http(s)). Throws NoArticleError when there is no article.
 *
 * @example
 * const { title, markdown } = await extractArticle(await response.text(), response.url);
 */
export async function extractArticle(html: string, url?: string): Promise<HtmlArticle> {
  const libraries = await loadHtmlLibraries();
  const { parseHTML, Readability } = libraries;
  // linkedom builds no document element for a fragment: give it the page around it.
  const { document } = parseHTML(
    /<html[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html}</body></html>`,
  );
  // Metadata first: the chrome removed below holds the byline and dates.
  const meta = pageMetadata(document);
  removeChrome(document, meta.title);
  absoluteLinks(document, url);
  // linkedom's document satisfies what Readability reads; its types are the DOM's own.
  const article = new Readability(document as unknown as Document, { keepClasses: false }).parse();
  const title = oneLine(meta.title || article?.title || '');
  const body = article?.content ? htmlToMarkdown(article.content, libraries) : '';
  const letters = body.match(/\p{L}/gu)?.length ?? 0;
  if (!article || letters < MIN_ARTICLE_LETTERS) throw new NoArticleError('no article found on the page');
  const author = meta.author ?? bylineAuthor(article.byline);
  const published = meta.published ?? isoDate(article.publishedTime);
  return {
    title: title || 'Untitled page',
    author,
    published,
    markdown: `# ${escapeHeading(title || 'Untitled page')}\n\n${withoutLeadingTitle(body, title)}\n`,
  };
}

type HtmlDocument = ReturnType<typeof parseHTML>['document'];
type HtmlElement = ReturnType<HtmlDocument['querySelectorAll']>[number];

function removeChrome(document: HtmlDocument, title: string | null): void {
  for (const element of [...document.querySelectorAll(CHROME_ELEMENTS)]) removeKeepingTitle(element, title);
  const bodyLength = document.body?.textContent?.length ?? 0;
  for (const element of [...document.querySelectorAll('[class], [id]')]) {
    if (!element.isConnected || !isChromeName(`${element.getAttribute('class') ?? ''} ${element.id ?? ''}`)) continue;
    // A page-wide wrapper named for its layout (`has-sidebar`) holds the article: keep it.
    if (element.matches('html, body, main') || element.querySelector('main')) continue;
    if ((element.textContent?.length ?? 0) > bodyLength / 2) continue;
    removeKeepingTitle(element, title);
  }
}

/**
 * Remove a chrome block, but leave the article's title heading where it was: Readability drops
 * the first heading that resembles the title, and without the real one it would drop a
 * section heading that shares its words ("Transition from Marketing to …").
 */
function removeKeepingTitle(element: HtmlElement, title: string | null): void {
  const heading = title
    ? [...element.querySelectorAll('h1')].find((h) => sameText(h.textContent ?? '', title))
    : undefined;
  if (heading) element.replaceWith(heading);
  else element.remove();
}

function sameText(a: string, b: string): boolean {
  return oneLine(a).toLowerCase() === oneLine(b).toLowerCase();
}

function isChromeName(names: string): boolean {
  return names
    .toLowerCase()
    .split(/\s+/)
    .some((name) => name.split(/[-_]+/).some((part) => CHROME_NAME_PARTS.has(part)));
}

/** Relative links made absolute against the page; any link that is not http(s) becomes its text. */
function absoluteLinks(document: HtmlDocument, url: string | undefined): void {
  for (const link of [...document.querySelectorAll('a')]) {
    const href = link.getAttribute('href') ?? '';
    let resolved: URL | null = null;
    try {
      resolved = new URL(href, url);
    } catch {
      resolved = null;
    }
    if (resolved && /^https?:$/.test(resolved.protocol) && !href.startsWith('#'))
      link.setAttribute('href', resolved.href);
    else link.replaceWith(...link.childNodes);
  }
}

function bylineAuthor(byline: string | null | undefined): string | null {
  const name = oneLine(byline ?? '').replace(/^by\s+/i, '');
  // A DOM byline often carries a date or "8 min read" too: only a short, name-like one is an author.
  return name && name.length <= 80 && !/\d/.test(name) ? name : null;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A `#` or trailing `#` in a title must not change the heading it becomes. */
function escapeHeading(title: string): string {
  return title.replace(/([\\`*_[\]<>#])/g, '\\$1');
}

/** Readability keeps the article's own title heading at times; the document's `# title` replaces it. */
function withoutLeadingTitle(markdown: string, title: string): string {
  const first = /^#{1,6} (.*)\n*/.exec(markdown);
  if (first && sameText(first[1]!.replace(/\\(.)/g, '$1'), title)) return markdown.slice(first[0].length);
  return markdown;
}
