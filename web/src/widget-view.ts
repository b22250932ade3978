import { Chat } from './chat.ts';
import { Composer } from './composer.ts';
import { copyText } from './copy-text.ts';
import { h } from './dom.ts';
import { icon } from './icons.ts';
import type { Citation } from './types.ts';
import { checkAccess, type WidgetAccess } from './widget-access.ts';
import type { WidgetConfig } from './widget-config.ts';
import { buildWidgetParts, notAllowedMessage } from './widget-panel.ts';
import STYLES from './widget.css';

/** The widget's host element: a custom element name no page would use for anything else. */
export const HOST_TAG = 'ask-the-guide-widget';

/**
 * Build the widget into `host`: a launcher button and a chat panel in a closed shadow root.
 *
 * Shadow DOM rather than an iframe: an iframe would isolate more (its own document), but it
 * needs a page of ours that other sites may frame (our pages say frame-ancestors 'none', and
 * relaxing that per origin is a second allow-list to keep in step with CORS), a postMessage
 * protocol for opening, closing and sizing, and it could not size itself to its content. In a
 * shadow root the page's selectors cannot reach the panel; inherited properties are reset in
 * widget.css. Closed, so that `element.shadowRoot` is null and scripts (and extensions) that
 * walk open shadow roots to restyle them pass it by. The page's code runs in the same window,
 * so isolation is against interference, not against a page set on breaking the widget.
 */
export function mountWidget(host: HTMLElement, config: WidgetConfig): void {
  const root = host.attachShadow({ mode: 'closed' });
  adoptStyles(root, STYLES);
  const parts = buildWidgetParts(config, (question) => ask(question));
  const { widget, launcher, panel, closeButton, composerBar } = parts;
  root.appendChild(widget);
  followColorScheme(widget, config.theme);

  let clearStatus: ReturnType<typeof setTimeout> | undefined;
  const announce = (message: string) => {
    parts.status.textContent = message;
    clearTimeout(clearStatus);
    clearStatus = setTimeout(() => (parts.status.textContent = ''), 5000);
  };
  const chat = new Chat({
    conversation: parts.conversation,
    emptyState: parts.emptyState,
    composer: () => composer,
    // Citations are links here (a new tab), so nothing opens a source panel.
    panel: { open: () => undefined, reset: () => undefined },
    announce,
    copy: copyText,
    endpoint: `${config.origin}/ask`,
    scroller: parts.scroller,
    turnOptions: { link: (c) => sourceLink(c, config.origin), origin: config.origin, starters: config.starters },
  });
  const handlers = { submit: (question: string) => ask(question), stop: () => chat.stop() };
  const composer = new Composer(parts.form, parts.input, parts.send, parts.counter, handlers, { keepDraft: false });

  // Asked when the panel first opens: a page where it is never opened costs the assistant nothing.
  let access: Promise<WidgetAccess> | null = null;
  const accessChecked = () => (access ??= checkAccess(config.origin));
  function ask(question: string): void {
    void accessChecked().then((result) => (result === 'refused' ? refuse() : chat.ask(question)));
  }
  function refuse(): void {
    parts.emptyState.hidden = true;
    composerBar.hidden = true;
    parts.newChatButton.hidden = true;
    parts.notice.hidden = false;
    parts.notice.replaceChildren(...notAllowedMessage());
    if (isOpen()) closeButton.focus();
  }

  const isOpen = () => !panel.hidden;
  function setOpen(open: boolean): void {
    panel.hidden = !open;
    widget.toggleAttribute('data-open', open);
    launcher.setAttribute('aria-expanded', String(open));
    launcher.setAttribute('aria-label', `${open ? 'Close' : 'Open'} ${config.title}`);
    launcher.replaceChildren(icon(open ? 'close' : 'chat'));
    if (!open) return;
    void accessChecked().then((result) => result === 'refused' && refuse());
    if (composerBar.hidden) closeButton.focus();
    else composer.focus();
  }
  function close(): void {
    setOpen(false);
    launcher.focus();
  }
  setOpen(false);

  launcher.addEventListener('click', () => setOpen(!isOpen()));
  closeButton.addEventListener('click', close);
  parts.newChatButton.addEventListener('click', () => chat.newChat());
  widget.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !isOpen() || event.isComposing) return;
    event.preventDefault();
    // Closing hides the panel only: an answer on its way keeps streaming, ready on reopening.
    close();
  });
}

/**
 * Where a citation opens: the assistant's own /source page at the cited section, as an
 * absolute URL on its origin. Always there and always the text that was quoted, unlike the
 * original article's URL, which a document may not have (and whose page may have changed).
 */
export function sourceLink(citation: Pick<Citation, 'url'>, origin: string): string {
  return new URL(citation.url, origin).href;
}

/**
 * Constructed style sheets are not subject to the host page's CSP style-src (a `<style>`
 * element would need 'unsafe-inline' there); a `<style>` element only where they are missing.
 */
function adoptStyles(root: ShadowRoot, css: string): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.appendChild(h('style', {}, css));
  }
}

/** `data-theme` light or dark is fixed; auto follows the system setting as it changes. */
function followColorScheme(widget: HTMLElement, theme: WidgetConfig['theme']): void {
  if (theme !== 'auto') {
    widget.dataset.scheme = theme;
    return;
  }
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const apply = () => (widget.dataset.scheme = dark.matches ? 'dark' : 'light');
  apply();
  dark.addEventListener('change', apply);
}
