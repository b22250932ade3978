/**
 * URL text fragments (WICG Text Fragments, `#:~:text=start,end`): a link that makes the
 * browser scroll the original page to a quoted passage and highlight it.
 */

/** Words taken for `start` and for `end`: enough to be unique on a page, few enough to survive small differences. */
const EDGE_WORDS = 5;
/** A quote of at most this many words (in one block) is matched whole, with no `end`. */
const WHOLE_QUOTE_WORDS = 2 * EDGE_WORDS;

/**
 * The text directive for a quote. A browser matches `start` and `end` each within one block
 * of the page (a paragraph, a list item), so they come from the quote's first and last
 * blocks (separated by blank lines, as section texts are); the range between may span blocks.
 *
 * @example
 *   textDirective('Sales, marketing & design - all count.')
 *   // 'text=Sales%2C%20marketing%20%26%20design%20%2D%20all%20count.'
 */
export function textDirective(quote: string): string {
  const blocks = quote
    .split(/\n\s*\n/)
    .map((b) => b.split(/\s+/).filter(Boolean))
    .filter((b) => b.length > 0);
  if (blocks.length === 0) return '';
  const first = blocks[0]!;
  const last = blocks.at(-1)!;
  if (blocks.length === 1 && first.length <= WHOLE_QUOTE_WORDS && first.every(isPlainWord)) {
    return `text=${encodeTextDirectiveTerm(first.join(' '))}`;
  }
  const start = trimEdgePunctuation(plainRun(first.slice(0, EDGE_WORDS), 'leading').join(' '));
  const end = trimEdgePunctuation(plainRun(last.slice(-EDGE_WORDS), 'trailing').join(' '));
  if (!start) return '';
  const hasEnd = end !== '' && (blocks.length > 1 || first.length > EDGE_WORDS);
  return hasEnd
    ? `text=${encodeTextDirectiveTerm(start)},${encodeTextDirectiveTerm(end)}`
    : `text=${encodeTextDirectiveTerm(start)}`;
}

/**
 * A word fit for a link: not a URL, an address or markup. A passage's links (a web page's,
 * or an injected one's) are never copied into the links we hand out, even as text to find.
 */
function isPlainWord(word: string): boolean {
  return !/[/\\<>[\](){}|@]|^www\./i.test(word);
}

/** The words up to the first that is not plain (`leading`), or after the last (`trailing`). */
function plainRun(words: string[], side: 'leading' | 'trailing'): string[] {
  if (side === 'leading') {
    const cut = words.findIndex((w) => !isPlainWord(w));
    return cut < 0 ? words : words.slice(0, cut);
  }
  const cut = words.findLastIndex((w) => !isPlainWord(w));
  return words.slice(cut + 1);
}

/**
 * `url` with a text fragment for `quote` (appended to an existing fragment, as the spec
 * allows: `#section:~:text=...`). `url` unchanged when the quote has no words.
 */
export function withTextFragment(url: string, quote: string): string {
  const directive = textDirective(quote);
  if (!directive) return url;
  return `${url}${url.includes('#') ? '' : '#'}:~:${directive}`;
}

/**
 * Percent-encode one term: everything encodeURIComponent encodes (`,` and `&` included,
 * which separate terms and directives), plus `-`, which marks a prefix or suffix. Curly
 * quotes and other non-ASCII text become their UTF-8 bytes.
 */
export function encodeTextDirectiveTerm(term: string): string {
  return encodeURIComponent(term).replace(/-/g, '%2D');
}

/**
 * A start that ends on "needs," or an end that begins with "(" would still match, but a
 * browser insists that terms begin and end on word boundaries; punctuation at the cut is dropped.
 */
function trimEdgePunctuation(text: string): string {
  return text.replace(/^[^\p{L}\p{N}]+/u, '').replace(/[^\p{L}\p{N}]+$/u, '') || text;
}
