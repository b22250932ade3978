import { NOT_COVERED_SENTINEL } from './prompts.ts';

/**
 * Cleans model output as it streams: no images, links, raw URLs or HTML reach the client
 * (links could exfiltrate data or phish; the UI shows sources from citations instead),
 * markers that point at no passage are dropped, and an answer that leaks the system prompt's
 * canary is stopped. Text is held back while a construct is still open ("![", "[", "<",
 * a URL, a possible sentinel) so a piece of one can never slip out in an early delta.
 */
export class OutputGuard {
  private pending = '';
  private emitted = '';
  /** The model echoed the canary: the answer is withheld. */
  leaked = false;
  /** The model answered with the "not covered" sentinel: nothing is released. */
  declined = false;

  constructor(
    private readonly passageCount: number,
    private readonly canary: string,
  ) {}

  /** Feed raw model text; returns the text safe to send now (may be empty). */
  push(text: string): string {
    if (this.leaked || this.declined) return '';
    this.pending += text;
    if (this.startsWithSentinel()) return '';
    const cut = this.safeCut();
    if (cut <= 0) return '';
    return this.release(this.pending.slice(0, cut), cut);
  }

  /** The rest, once the model is done. */
  flush(): string {
    if (this.leaked || this.declined || this.startsWithSentinel()) return '';
    return this.release(this.pending, this.pending.length);
  }

  private startsWithSentinel(): boolean {
    if ((this.emitted + this.pending).trimStart().startsWith(NOT_COVERED_SENTINEL)) this.declined = true;
    return this.declined;
  }

  /** Everything released so far. */
  get text(): string {
    return this.emitted;
  }

  private release(piece: string, cut: number): string {
    this.pending = this.pending.slice(cut);
    if ((this.emitted + piece + this.pending).includes(this.canary)) {
      this.leaked = true;
      return '';
    }
    const clean = sanitizeAnswerText(piece, this.passageCount);
    this.emitted += clean;
    return clean;
  }

  /** Length of the longest prefix of `pending` that ends outside any open construct. */
  private safeCut(): number {
    const text = this.pending;
    if (
      (this.emitted + text).trimStart().length <= NOT_COVERED_SENTINEL.length &&
      NOT_COVERED_SENTINEL.startsWith((this.emitted + text).trimStart())
    )
      return 0;
    // Hold back a tail long enough to still contain a partial canary.
    const limit = Math.max(0, text.length - this.canary.length);
    let cut = 0;
    let depthSquare = 0;
    let inAngle = false;
    let inParen = false;
    for (let i = 0; i < limit; i++) {
      const ch = text[i]!;
      if (ch === '[') depthSquare++;
      else if (ch === ']') {
        depthSquare = Math.max(0, depthSquare - 1);
        if (text[i + 1] === '(') inParen = true;
      } else if (ch === ')' && inParen) inParen = false;
      else if (ch === '<') inAngle = true;
      else if (ch === '>') inAngle = false;
      if (/\s/.test(ch) && depthSquare === 0 && !inAngle && !inParen) cut = i + 1;
    }
    return cut;
  }
}

const IMAGE = /!\[[^\]]*\]\([^)]*\)?/g;
const LINK = /\[([^\]]*)\]\((?:[^)]*)\)?/g;
const HTML_TAG = /<\/?[a-z!][^>]*>?/gi;
const URL = /\b(?:https?|ftp|data|javascript):[^\s)\]]*/gi;
const MARKER = /\[(\d{1,3})\]/g;
// What the patterns above miss and a Markdown renderer would still turn into a live link or
// image: link reference definitions (`[ref]: //host/x` with `![x][ref]`), link text with
// nested brackets (`![a[b]c](//host/x)`), protocol-relative and `www.` URLs, and numeric
// character references that spell out a scheme.
const REFERENCE_DEFINITION = /^[ \t]{0,3}\[[^\]\n]*\]:[^\n]*$/gm;
const IMAGE_OPENER = /!\[/g;
const LINK_DESTINATION = /\]\([^)]*\)?/g;
const BARE_HOST_URL = /(^|[^\w/:])(?:\/\/|www\.)[^\s)\]]+/gi;
const NUMERIC_ENTITY = /&#x?[0-9a-f]+;?/gi;

/**
 * Drop out-of-range markers, then strip images, links (keeping their text), HTML, URLs and
 * their disguises, repeating until nothing changes: removing one piece must never splice
 * another together ("htt[9]ps://...", "<<img>img ...>").
 */
export function sanitizeAnswerText(text: string, passageCount: number): string {
  let current = text;
  for (let round = 0; round < 10; round++) {
    const next = current
      .replace(MARKER, (m, digits: string) => {
        const n = Number(digits);
        return n >= 1 && n <= passageCount ? m : '';
      })
      .replace(IMAGE, '')
      .replace(LINK, (_m, label: string) => label)
      .replace(HTML_TAG, '')
      .replace(URL, '')
      .replace(NUMERIC_ENTITY, '')
      .replace(REFERENCE_DEFINITION, '')
      .replace(IMAGE_OPENER, '[')
      .replace(LINK_DESTINATION, ']')
      .replace(BARE_HOST_URL, '$1');
    if (next === current) return next;
    current = next;
  }
  // Still changing after ten rounds: adversarial input; keep only plain words.
  return current.replace(/[<>[\]()]/g, '');
}
