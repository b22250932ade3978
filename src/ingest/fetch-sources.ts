import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import matter from 'gray-matter';
import { extractArticle, NoArticleError } from '../corpus/html-article.ts';
import { articleMarkdownFile } from '../corpus/html-document.ts';
import { replaceFileAtomically } from '../index/fs-atomic.ts';
import { FETCH_PAGE_DEFAULTS, fetchPage, FetchPageError, type FetchPageOptions } from './fetch-page.ts';
import { readFetchState, writeFetchState, type FetchState, type SourceState } from './fetch-state.ts';

export interface FetchSourcesOptions extends Partial<Omit<FetchPageOptions, 'signal'>> {
  corpusDir: string;
  urls: string[];
  signal?: AbortSignal;
  /** The clock for `fetched_at` (tests). */
  now?: () => Date;
}

/** What became of one source: a new or changed file, the same text again, or a 304. */
export interface SourceOutcome {
  url: string;
  /** The corpus file, relative to the corpus folder. */
  file: string;
  outcome: 'written' | 'unchanged' | 'not-modified';
}

/** One line per source that failed, each naming its URL and the reason. */
export class FetchSourcesError extends Error {
  override name = 'FetchSourcesError';
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

/** Sources fetched at the same time: enough to hide latency, few enough to be polite to one host. */
const CONCURRENCY = 4;

type Fetched = SourceOutcome & { content?: string; state: SourceState };

/**
 * Fetch each source page, extract its article and write it as `<corpusDir>/<slug>.md` with
 * front matter (`title`, `author`, `published`, `source_url`, `fetched_at`), keeping each
 * page's validators in FETCH_STATE_FILE for the next, conditional, fetch. All or nothing: when
 * any source fails, nothing is written and FetchSourcesError lists every failure, so a failed
 * run leaves the earlier fetched files, and whatever the index was built from, as they were.
 * A file that was not fetched from its URL is never overwritten.
 */
export async function fetchSources(options: FetchSourcesOptions): Promise<SourceOutcome[]> {
  const { corpusDir, urls } = options;
  const pageOptions: FetchPageOptions = { ...FETCH_PAGE_DEFAULTS, ...definedOnly(options), signal: options.signal };
  const state = await readFetchState(corpusDir);
  const files = sourceFiles(urls);
  const fetchedAt = (options.now ?? (() => new Date()))().toISOString();
  const failures: string[] = [];
  const results = await mapLimited(urls, CONCURRENCY, async (url): Promise<Fetched | null> => {
    try {
      return await fetchSource(url, files.get(url)!, corpusDir, state, pageOptions, fetchedAt);
    } catch (error) {
      if (!(error instanceof FetchPageError)) throw error;
      failures.push(error.message);
      return null;
    }
  });
  if (failures.length > 0)
    throw new FetchSourcesError(urls.flatMap((url) => failures.filter((f) => f.startsWith(`${url}: `))));

  const fetched = results as Fetched[];
  for (const result of fetched)
    if (result.content !== undefined) await replaceFileAtomically(join(corpusDir, result.file), result.content);
  const next: FetchState = { sources: { ...state.sources } };
  for (const result of fetched) next.sources[result.url] = result.state;
  if (JSON.stringify(next) !== JSON.stringify(state) || fetched.some((r) => r.outcome === 'written'))
    await writeFetchState(corpusDir, next);
  return fetched.map(({ url, file, outcome }) => ({ url, file, outcome }));
}

async function fetchSource(
  url: string,
  file: string,
  corpusDir: string,
  state: FetchState,
  options: FetchPageOptions,
  fetchedAt: string,
): Promise<Fetched> {
  const existing = await readFile(join(corpusDir, file), 'utf8').catch(() => null);
  if (existing !== null && !fetchedFrom(existing, url)) {
    throw new FetchPageError(
      url,
      `${file} is already in the corpus and was not fetched from this URL; move it or rename it`,
    );
  }
  const previous = state.sources[url];
  // Without the file a 304 would leave nothing to keep: ask for the page itself.
  const validators = existing !== null && previous?.file === file ? previous : {};
  const page = await fetchPage(url, options, validators);
  if (page.status === 'not-modified') {
    if (!previous) throw new FetchPageError(url, 'HTTP 304 to a request that named no earlier version');
    return { url, file, outcome: 'not-modified', state: previous };
  }

  let content: string;
  try {
    content = articleMarkdownFile(await extractArticle(page.html, page.url), {
      source_url: url,
      fetched_at: fetchedAt,
    });
  } catch (error) {
    if (error instanceof NoArticleError) throw new FetchPageError(url, 'no article found on the page');
    throw error;
  }
  const sourceState: SourceState = { file, ...page.validators };
  // The same article again (a server without validators): the file and its fetched_at stay, no diff.
  if (existing !== null && withoutFetchedAt(existing) === withoutFetchedAt(content))
    return { url, file, outcome: 'unchanged', state: sourceState };
  return { url, file, outcome: 'written', content, state: sourceState };
}

/**
 * `--fetch`: the pages `sources` of the corpus's assistant.yaml lists, fetched into the corpus
 * folder. `report` gets one line per source (or says there is nothing to fetch).
 */
export async function fetchListedSources(
  corpusDir: string,
  report: (line: string) => void,
  options: Partial<Omit<FetchSourcesOptions, 'corpusDir' | 'urls'>> = {},
): Promise<SourceOutcome[]> {
  // Imported here: the ingest CLI imports this module, and needs the YAML parser only with --fetch.
  const { ASSISTANT_CONFIG_FILE, loadAssistantConfig } = await import('../corpus/assistant-config.ts');
  const config = await loadAssistantConfig(corpusDir);
  const urls = config?.sources?.map((source) => source.url) ?? [];
  if (urls.length === 0) {
    report(`no sources listed in ${join(corpusDir, ASSISTANT_CONFIG_FILE)}: nothing to fetch`);
    return [];
  }
  const outcomes = await fetchSources({ ...options, corpusDir, urls });
  const verbs = { written: 'fetched', unchanged: 'unchanged', 'not-modified': 'not modified' } as const;
  for (const { url, file, outcome } of outcomes) report(`${verbs[outcome]}: ${url} -> ${join(corpusDir, file)}`);
  return outcomes;
}

/** A corpus file this source wrote before: its front matter names the URL and a fetch time. */
function fetchedFrom(content: string, url: string): boolean {
  try {
    const data = matter(content, {}).data as Record<string, unknown>;
    return data.source_url === url && data.fetched_at !== undefined;
  } catch {
    return false;
  }
}

function withoutFetchedAt(content: string): string {
  return content.replace(/^fetched_at: .*\n/m, '');
}

/**
 * `<slug>.md` per URL, from the last path segment (`/blog/how-to-transition` ->
 * `how-to-transition.md`), else the host name. Two URLs with one slug are told apart by a
 * short hash of the URL, so a file name never depends on the order of the list.
 */
export function sourceFiles(urls: string[]): Map<string, string> {
  const slugs = new Map(urls.map((url) => [url, slugOf(url)]));
  const counts = new Map<string, number>();
  for (const slug of slugs.values()) counts.set(slug, (counts.get(slug) ?? 0) + 1);
  return new Map(
    [...slugs].map(([url, slug]) => {
      const unique =
        counts.get(slug)! > 1 ? `${slug}-${createHash('sha256').update(url).digest('hex').slice(0, 8)}` : slug;
      return [url, `${unique}.md`];
    }),
  );
}

function slugOf(url: string): string {
  const address = new URL(url);
  const segments = address.pathname.split('/').filter(Boolean);
  let last = segments.at(-1) ?? '';
  try {
    last = decodeURIComponent(last);
  } catch {
    // keep it encoded
  }
  const slug = (text: string) =>
    text
      .normalize('NFKD')
      .replace(/\.(html?|php|aspx?)$/i, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80)
      .replace(/-+$/, '');
  return slug(last) || slug(address.hostname) || 'page';
}

function definedOnly(options: Partial<FetchPageOptions>): Partial<FetchPageOptions> {
  const out: Partial<FetchPageOptions> = {};
  if (options.timeoutMs !== undefined) out.timeoutMs = options.timeoutMs;
  if (options.maxBytes !== undefined) out.maxBytes = options.maxBytes;
  if (options.maxRedirects !== undefined) out.maxRedirects = options.maxRedirects;
  return out;
}

async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
