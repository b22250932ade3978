import type { parseHTML } from 'linkedom/worker';

type HtmlDocument = ReturnType<typeof parseHTML>['document'];

export interface PageMetadata {
  /** The declared headline, or the page's only h1: a `<title>` often adds the site's name. */
  title: string | null;
  author: string | null;
  /** `YYYY-MM-DD`. */
  published: string | null;
}

/**
 * Title, author and publication date as the page declares them, read before any chrome is
 * removed (bylines and dates sit in headers). Declared metadata wins over what is shown:
 * JSON-LD (`author`, `datePublished`), then `<meta>` (`author`, `article:published_time`),
 * then the page's own `rel=author` / `itemprop=author` and `<time datetime>` elements.
 */
export function pageMetadata(document: HtmlDocument): PageMetadata {
  const linkedData = jsonLdArticle(document);
  const metaContent = (selector: string) => clean(document.querySelector(selector)?.getAttribute('content'));
  const headings = document.querySelectorAll('h1');
  const title =
    clean(typeof linkedData?.headline === 'string' ? linkedData.headline : null) ??
    metaContent('meta[property="og:title"]') ??
    (headings.length === 1 ? clean(headings[0]!.textContent) : null);
  const author =
    jsonLdAuthor(linkedData?.author) ??
    metaContent('meta[name="author"]') ??
    nameOnly(metaContent('meta[property="article:author"]')) ??
    clean(
      document.querySelector('[itemprop="author"] [itemprop="name"], [itemprop="author"], [rel="author"]')?.textContent,
    );
  const published =
    isoDate(typeof linkedData?.datePublished === 'string' ? linkedData.datePublished : null) ??
    isoDate(
      metaContent('meta[property="article:published_time"], meta[itemprop="datePublished"], meta[name="date"]'),
    ) ??
    isoDate(
      document
        .querySelector('article time[datetime], time[pubdate][datetime], time[datetime]')
        ?.getAttribute('datetime'),
    );
  return { title, author: author && author.length <= 120 ? author : null, published };
}

interface LinkedArticle {
  headline?: unknown;
  author?: unknown;
  datePublished?: unknown;
}

/** The first JSON-LD object (top level or in an `@graph`) that states a date or an author. */
function jsonLdArticle(document: HtmlDocument): LinkedArticle | null {
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue;
    }
    const candidates = (Array.isArray(data) ? data : [data]).flatMap((item) =>
      item && typeof item === 'object' && Array.isArray((item as { '@graph'?: unknown })['@graph'])
        ? (item as { '@graph': unknown[] })['@graph']
        : [item],
    );
    const found = candidates.find((c) => c && typeof c === 'object' && ('datePublished' in c || 'author' in c));
    if (found) return found as LinkedArticle;
  }
  return null;
}

function jsonLdAuthor(author: unknown): string | null {
  const first = Array.isArray(author) ? author[0] : author;
  if (typeof first === 'string') return nameOnly(clean(first));
  if (first && typeof first === 'object' && typeof (first as { name?: unknown }).name === 'string')
    return clean((first as { name: string }).name);
  return null;
}

/** `article:author` is often a profile URL, which names nobody. */
function nameOnly(value: string | null): string | null {
  return value && !/^https?:\/\//i.test(value) ? value : null;
}

function clean(text: string | null | undefined): string | null {
  const value = text?.replace(/\s+/g, ' ').trim();
  return value ? value : null;
}

/** `YYYY-MM-DD` of a date or timestamp the page states; null when it is not a valid date. */
export function isoDate(value: string | null | undefined): string | null {
  const text = value?.trim();
  if (!text) return null;
  const day = /^(\d{4}-\d{2}-\d{2})(?:$|[T\s])/.exec(text)?.[1];
  if (day) {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day) ? day : null;
  }
  // "May 24, 2024": the calendar day as written, whatever this machine's time zone.
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
