import { byId, h } from './dom.ts';
import { highlightQuote } from './highlight-quote.ts';
import { icon } from './icons.ts';
import { extractSection, parseSourcePage, safeLink } from './source-section.ts';
import type { Citation } from './types.ts';

/** Below this width the panel is a modal dialog over the chat instead of a side panel. */
const NARROW = '(max-width: 899px)';

/**
 * The side panel (a modal dialog on narrow screens) that shows a citation's section of the
 * source, with the quoted passage highlighted and scrolled into view. Source pages are
 * fetched once per document. Escape, the close button or a click on the backdrop close it,
 * and focus goes back to the chip or source that opened it.
 */
export class SourcePanel {
  private readonly pages = new Map<string, Promise<Document>>();
  private readonly title = byId<HTMLHeadingElement>('source-panel-title');
  private readonly kicker = byId<HTMLElement>('source-panel-kicker');
  private readonly body = byId<HTMLElement>('source-panel-body');
  private readonly link = byId<HTMLAnchorElement>('source-panel-link');
  private readonly closeButton = byId<HTMLButtonElement>('source-panel-close');
  private opener: HTMLElement | null = null;
  /** Whether closing should move focus back to the opener (not when the user is typing elsewhere). */
  private restoreFocus = true;
  private current: Citation | null = null;
  private generation = 0;

  constructor(
    private readonly dialog: HTMLDialogElement,
    private readonly fallbackFocus: () => void,
  ) {
    this.closeButton.addEventListener('click', () => this.close());
    dialog.addEventListener('close', () => this.closed());
    // A click on a modal dialog's backdrop lands on the dialog element itself.
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog && dialog.matches(':modal')) this.close();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.isOpen && !event.defaultPrevented) {
        event.preventDefault();
        this.close();
      }
    });
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  get citation(): Citation | null {
    return this.isOpen ? this.current : null;
  }

  open(citation: Citation, opener: HTMLElement): void {
    this.opener?.classList.remove('is-active');
    this.opener = opener;
    this.current = citation;
    opener.classList.add('is-active');
    this.kicker.textContent = `Source ${citation.id}`;
    this.title.textContent = citation.section;
    // Only a document with an original page has one to read: the panel already shows the local copy.
    const href = /^https?:\/\//i.test(citation.sourceUrl) ? safeLink(citation.sourceUrl) : null;
    this.link.hidden = !href;
    if (href) this.link.href = href;

    if (!this.dialog.open) {
      if (matchMedia(NARROW).matches) this.dialog.showModal();
      else this.dialog.show();
      document.body.classList.add('panel-open');
    }
    this.closeButton.focus({ preventScroll: true });
    void this.load(citation);
  }

  close(): void {
    if (!this.dialog.open) return;
    const active = document.activeElement;
    this.restoreFocus = !active || active === document.body || this.dialog.contains(active);
    this.dialog.close();
  }

  /** Forget the opener (its turn is gone, e.g. after "New chat") and close. */
  reset(): void {
    this.opener = null;
    this.close();
  }

  private closed(): void {
    document.body.classList.remove('panel-open');
    this.generation++;
    const opener = this.opener;
    const restore = this.restoreFocus;
    this.restoreFocus = true;
    opener?.classList.remove('is-active');
    this.opener = null;
    if (!restore) return;
    if (opener?.isConnected) opener.focus();
    else this.fallbackFocus();
  }

  private async load(citation: Citation): Promise<void> {
    const generation = ++this.generation;
    this.body.setAttribute('aria-busy', 'true');
    this.body.replaceChildren(h('p', { class: 'panel-status' }, 'Loading the source…'));
    const path = `/source/${encodeURIComponent(citation.document)}`;
    try {
      const page = await this.page(path);
      if (generation !== this.generation) return;
      this.render(citation, page, path);
    } catch {
      if (generation !== this.generation) return;
      const retry = h('button', { type: 'button', class: 'button button-small' }, icon('retry'), 'Try again');
      retry.addEventListener('click', () => void this.load(citation));
      this.body.replaceChildren(
        h('div', { class: 'panel-error', role: 'alert' }, h('p', {}, 'The source could not be loaded.'), retry),
        h('blockquote', { class: 'panel-quote' }, citation.quote),
      );
    } finally {
      if (generation === this.generation) this.body.removeAttribute('aria-busy');
    }
  }

  private page(path: string): Promise<Document> {
    let page = this.pages.get(path);
    if (!page) {
      page = fetch(path, { headers: { Accept: 'text/html' } }).then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return parseSourcePage(await response.text());
      });
      // A failed fetch is not cached: the next click tries again.
      page.catch(() => this.pages.delete(path));
      this.pages.set(path, page);
    }
    return page;
  }

  private render(citation: Citation, page: Document, path: string): void {
    const section = extractSection(page, citation.anchor, path);
    const article = h('article', { class: 'panel-section' });
    // The section heading is the panel's title; the body names the document it is from.
    if (section.documentTitle)
      article.appendChild(h('p', { class: 'source-document-title' }, `From “${section.documentTitle}”`));
    if (section.heading === null)
      article.appendChild(
        h('p', { class: 'panel-note' }, 'This section is no longer in the source; showing the passage as cited.'),
      );
    const content = h('div', { class: 'source-content' });
    content.appendChild(section.content);
    article.appendChild(content);
    this.body.replaceChildren(article);

    const { marks, match } = highlightQuote(content, citation.quote);
    if (match !== 'quote' && section.heading !== null) {
      // Show the quoted words even when they cannot be located exactly in the page.
      const note =
        match === 'none'
          ? 'The quoted words could not be located on the page. As cited:'
          : 'The closest matching sentence is highlighted. As cited:';
      content.before(
        h('div', { class: 'panel-note' }, h('p', {}, note), h('blockquote', { class: 'panel-quote' }, citation.quote)),
      );
    }
    if (section.heading === null) article.appendChild(h('blockquote', { class: 'panel-quote' }, citation.quote));
    const first = marks[0];
    if (first) {
      const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
      first.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
    } else {
      this.body.scrollTop = 0;
    }
  }
}
