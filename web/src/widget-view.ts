import { Chat } from './chat.ts';
import { Composer } from './composer.ts';
import { copyText } from './copy-text.ts';
import { h } from './dom.ts';
import { icon } from './icons.ts';
import { renderStarters } from './starters.ts';
import type { Citation } from './types.ts';
import { checkAccess, type WidgetAccess } from './widget-access.ts';
import type { WidgetConfig } from './widget-config.ts';
import STYLES from './widget.css';

/** The widget's host element: a custom element name no page would use for anything else. */
export const HOST_TAG = 'ask-the-guide-widget';
const NOT_ALLOWED = "This site isn't allowed to use this assistant.";

/**
 * Build the widget into `host`: a launcher button and a chat panel in a closed shadow root.
 *
 * Shadow DOM rather than an iframe: an iframe would isolate more (its own document), but it
 * needs a page of ours that other sites may frame (our pages say frame-ancestors 'none', and
 * relaxing that per origin is a second allow-list to keep in step with CORS), a postMessage
 * protocol for opening, closing and sizing, and it could not size itself to its content. In a
 * shadow root the page's selectors cannot reach the panel; inherited properties are reset in
 * widget.css. Closed, so that `element.shadowRoot` is null and scripts (and extensions) that
 * walk open shadow roots to restyle them pass it by. The script is ours and the page's code
 * runs in the same window, so isolation is against interference, not against a hostile page.
 */
export function mountWidget(host: HTMLElement, config: WidgetConfig): void {
  const root = host.attachShadow({ mode: 'closed' });
  adoptStyles(root, STYLES);

  const launcher = h('button', {
    type: 'button',
    class: 'launcher',
    'data-testid': 'widget-launcher',
    'aria-expanded': 'false',
    'aria-controls': 'panel',
    'aria-label': `Open ${config.title}`,
  });
  const status = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const closeButton = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close', title: 'Close (Esc)' }, icon('close'));
  const newChatButton = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'New chat', title: 'New chat' }, icon('plus'));
  const conversation = h('div', { class: 'conversation', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation' });
  const emptyState = h(
    'section',
    { class: 'empty', 'aria-label': 'Start' },
    h('p', { class: 'empty-lead' }, 'Ask anything the guide covers. Every answer links to the passages it comes from.'),
    config.starters.length ? h('p', { class: 'starters-label' }, 'Try one of these') : null,
    config.starters.length ? renderStarters((q) => ask(q), config.starters) : null,
  );
  const notice = h('div', { class: 'notice', role: 'alert', 'data-testid': 'error', 'data-kind': 'not_allowed', hidden: true });
  const scroller = h('div', { class: 'scroller' }, emptyState, conversation, notice);
  const input = h('textarea', {
    'data-testid': 'question-input',
    id: 'question',
    rows: '1',
    maxlength: '2000',
    placeholder: 'Ask a question…',
    autocomplete: 'off',
    enterkeyhint: 'send',
    'aria-describedby': 'question-count',
  });
  const send = h('button', { type: 'submit', class: 'send', 'data-testid': 'send', 'aria-label': 'Send question' });
  const counter = h('p', { class: 'count', id: 'question-count', hidden: true });
  const form = h('form', { class: 'composer', novalidate: true }, h('label', { class: 'sr-only', for: 'question' }, 'Your question'), input, send);
  const composerBar = h(
    'div',
    { class: 'composer-bar' },
    form,
    h('div', { class: 'composer-meta' }, h('p', {}, 'Answers come from the guide, with sources.'), counter),
  );
  const panel = h(
    'section',
    { class: 'panel', id: 'panel', role: 'dialog', 'aria-labelledby': 'panel-title', hidden: true },
    h(
      'header',
      { class: 'panel-header' },
      brandMark(),
      h('div', { class: 'panel-heading' }, h('h2', { class: 'panel-title', id: 'panel-title' }, config.title), h('p', { class: 'tagline' }, 'Answers from the guide, with sources')),
      newChatButton,
      closeButton,
    ),
    scroller,
    composerBar,
  );
  const widget = h('div', { class: 'widget', 'data-position': config.position }, launcher, panel, status);
  root.appendChild(widget);
  followColorScheme(widget, config.theme);

  let clearStatus: ReturnType<typeof setTimeout> | undefined;
  const announce = (message: string) => {
    status.textContent = message;
    clearTimeout(clearStatus);
    clearStatus = setTimeout(() => (status.textContent = ''), 5000);
  };

  const chat = new Chat({
    conversation,
    emptyState,
    composer: () => composer,
    // Citations are links here (a new tab), so nothing opens a source panel.
    panel: { open: () => undefined, reset: () => undefined },
    announce,
    copy: copyText,
    endpoint: `${config.origin}/ask`,
    scroller,
    turnOptions: { link: (citation) => sourceLink(citation, config.origin), origin: config.origin, starters: config.starters },
  });
  const composer = new Composer(form, input, send, counter, { submit: (q) => ask(q), stop: () => chat.stop() }, { keepDraft: false });

  // Asked once, when the panel first opens: a page that never opens it costs the assistant nothing.
  let access: Promise<WidgetAccess> | null = null;
  function ask(question: string): void {
    access ??= checkAccess(config.origin);
    void access.then((result) => (result === 'refused' ? refuse() : chat.ask(question)));
  }
  function refuse(): void {
    emptyState.hidden = true;
    composerBar.hidden = true;
    newChatButton.hidden = true;
    notice.hidden = false;
    notice.replaceChildren(
      icon('alert'),
      h('div', { class: 'error-text' }, h('p', { class: 'error-title' }, NOT_ALLOWED), h('p', { class: 'error-detail' }, "Its owner can allow this site in the assistant's settings (ALLOWED_ORIGINS)."))
    );
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
    if (!access) {
      access = checkAccess(config.origin);
      void access.then((result) => result === 'refused' && refuse());
    }
    if (composerBar.hidden) closeButton.focus();
    else composer.focus();
  }
  setOpen(false);

  launcher.addEventListener('click', () => setOpen(!isOpen()));
  closeButton.addEventListener('click', () => {
    setOpen(false);
    launcher.focus();
  });
  newChatButton.addEventListener('click', () => chat.newChat());
  widget.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !isOpen() || event.isComposing) return;
    event.preventDefault();
    // Closing hides the panel only: an answer on its way keeps streaming, ready on reopening.
    setOpen(false);
    launcher.focus();
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

const SVG = 'http://www.w3.org/2000/svg';

/** The main page's mark: a speech bubble on the accent colour. */
function brandMark(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'brand-mark');
  svg.setAttribute('viewBox', '0 0 32 32');
  svg.setAttribute('aria-hidden', 'true');
  const rect = document.createElementNS(SVG, 'rect');
  for (const [k, v] of Object.entries({ width: '32', height: '32', rx: '8' })) rect.setAttribute(k, v);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', 'M9 10.5a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2h-5.5L11 23.5v-4a2 2 0 0 1-2-2z');
  svg.append(rect, path);
  return svg;
}
