import { h } from './dom.ts';
import { icon } from './icons.ts';
import { renderStarters } from './starters.ts';
import type { WidgetConfig } from './widget-config.ts';

/** The widget's elements, built once; widget-view.ts gives them behaviour. */
export interface WidgetParts {
  widget: HTMLElement;
  launcher: HTMLButtonElement;
  panel: HTMLElement;
  newChatButton: HTMLButtonElement;
  closeButton: HTMLButtonElement;
  scroller: HTMLElement;
  emptyState: HTMLElement;
  conversation: HTMLElement;
  /** Where "this site isn't allowed" goes. */
  notice: HTMLElement;
  composerBar: HTMLElement;
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  send: HTMLButtonElement;
  counter: HTMLElement;
  status: HTMLElement;
}

/**
 * The launcher and the panel: header (mark, title, New chat, Close), the conversation with its
 * starters, and the question box. The test ids inside are the main page's.
 */
export function buildWidgetParts(config: WidgetConfig, ask: (question: string) => void): WidgetParts {
  const launcher = h('button', {
    type: 'button',
    class: 'launcher',
    'data-testid': 'widget-launcher',
    'aria-expanded': 'false',
    'aria-controls': 'panel',
  });
  const newChatButton = iconButton('New chat', 'New chat', 'plus');
  const closeButton = iconButton('Close', 'Close (Esc)', 'close');
  const emptyState = h(
    'section',
    { class: 'empty', 'aria-label': 'Start' },
    h('p', { class: 'empty-lead' }, 'Ask anything the guide covers. Every answer links to the passages it comes from.'),
    config.starters.length ? h('p', { class: 'starters-label' }, 'Try one of these') : null,
    config.starters.length ? renderStarters(ask, config.starters) : null,
  );
  const conversation = h('div', {
    class: 'conversation',
    role: 'log',
    'aria-live': 'polite',
    'aria-label': 'Conversation',
  });
  const notice = h('div', {
    class: 'notice',
    role: 'alert',
    'data-testid': 'error',
    'data-kind': 'not_allowed',
    hidden: true,
  });
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
  const label = h('label', { class: 'sr-only', for: 'question' }, 'Your question');
  const form = h('form', { class: 'composer', novalidate: true }, label, input, send);
  const meta = h('div', { class: 'composer-meta' }, h('p', {}, 'Answers come from the guide, with sources.'), counter);
  const composerBar = h('div', { class: 'composer-bar' }, form, meta);

  const heading = h(
    'div',
    { class: 'panel-heading' },
    h('h2', { class: 'panel-title', id: 'panel-title' }, config.title),
    h('p', { class: 'tagline' }, 'Answers from the guide, with sources'),
  );
  const header = h('header', { class: 'panel-header' }, brandMark(), heading, newChatButton, closeButton);
  const panel = h(
    'section',
    { class: 'panel', id: 'panel', role: 'dialog', 'aria-labelledby': 'panel-title', hidden: true },
    header,
    scroller,
    composerBar,
  );
  const status = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });
  const widget = h('div', { class: 'widget', 'data-position': config.position }, launcher, panel, status);
  return {
    widget,
    launcher,
    panel,
    newChatButton,
    closeButton,
    scroller,
    emptyState,
    conversation,
    notice,
    composerBar,
    form,
    input,
    send,
    counter,
    status,
  };
}

/** The notice's text when the page's origin is not allowed. */
export function notAllowedMessage(): Node[] {
  return [
    icon('alert'),
    h(
      'div',
      { class: 'error-text' },
      h('p', { class: 'error-title' }, "This site isn't allowed to use this assistant."),
      h('p', { class: 'error-detail' }, "Its owner can allow this site in the assistant's settings (ALLOWED_ORIGINS)."),
    ),
  ];
}

function iconButton(label: string, title: string, name: 'plus' | 'close'): HTMLButtonElement {
  return h('button', { type: 'button', class: 'icon-button', 'aria-label': label, title }, icon(name));
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
