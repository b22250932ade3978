import { AnswerFeedback, sendFeedback } from './answer-feedback.ts';
import type { AskError } from './api.ts';
import { h } from './dom.ts';
import { icon } from './icons.ts';
import {
  AnswerText,
  answerAsPlainText,
  renderSourceList,
  type CitationLink,
  type OpenCitation,
} from './render-answer.ts';
import { renderStarters } from './starters.ts';
import type { AskResponse, Citation } from './types.ts';

export interface TurnActions {
  open: OpenCitation;
  retry: () => void;
  ask: (question: string) => void;
  copy: (text: string) => Promise<boolean>;
  /** Citations as links to this (the widget) instead of buttons that call `open`. */
  link?: CitationLink;
  /** What relative source URLs resolve against in copied text; the page's origin by default. */
  origin?: string;
  /** The questions offered when the guide does not cover one; the built-in starters by default. */
  starters?: readonly string[];
}

/**
 * One exchange on screen: the question, and the assistant's turn in its states: thinking
 * (typing indicator), streaming, answered (chips, sources, copy), not covered (starter
 * questions), stopped, or failed (inline error with retry).
 */
export class TurnView {
  readonly element: HTMLElement;
  private readonly answer: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly text: AnswerText;
  private readonly extras: HTMLElement;
  private countdown: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly question: string,
    private readonly actions: TurnActions,
  ) {
    this.typing = h(
      'div',
      { class: 'typing' },
      h('span', { class: 'dot' }),
      h('span', { class: 'dot' }),
      h('span', { class: 'dot' }),
      h('span', { class: 'sr-only' }, 'The guide is looking this up…'),
    );
    const body = h('div', { class: 'answer-text' });
    this.text = new AnswerText(body, actions.open, actions.link);
    this.extras = h('div', { class: 'answer-extras' });
    this.answer = h(
      'article',
      { class: 'turn turn-assistant', 'data-testid': 'answer', 'data-state': 'thinking', 'aria-label': 'Answer' },
      h('div', { class: 'answer-card' }, this.typing, body, this.extras),
    );
    this.element = h(
      'div',
      { class: 'exchange' },
      h(
        'div',
        { class: 'turn turn-user' },
        h('h2', { class: 'sr-only' }, 'You asked'),
        h('p', { class: 'bubble' }, question),
      ),
      this.answer,
    );
  }

  get hasText(): boolean {
    return !!this.text.element.textContent?.trim();
  }

  get state(): string {
    return this.answer.dataset.state ?? '';
  }

  /** Back to the typing indicator (a new attempt). */
  thinking(): void {
    this.stopCountdown();
    this.answer.querySelector('.not-covered-label')?.remove();
    this.answer.querySelector('.related-label')?.remove();
    this.setState('thinking');
    this.text.replace('', []);
    this.extras.replaceChildren();
  }

  citations(citations: Citation[]): void {
    this.text.setCitations(citations);
  }

  delta(text: string): void {
    if (this.state === 'thinking') this.setState('streaming');
    this.text.append(text);
  }

  done(response: AskResponse): void {
    this.setState(response.grounded ? 'answered' : 'not-covered');
    this.text.replace(response.answer, response.grounded ? response.citations : []);
    this.extras.replaceChildren();
    if (response.support === 'related') {
      this.text.element.before(
        h(
          'p',
          { class: 'related-label', 'data-testid': 'related-notice' },
          icon('info'),
          "The guide doesn't answer this exactly: here is what comes closest",
        ),
      );
    }
    const endpoint = new URL('/feedback', this.actions.origin ?? location.origin).href;
    const feedback = AnswerFeedback.for(response.id, (body) => sendFeedback(body, endpoint));
    if (response.grounded) {
      const { open, link, origin = location.origin } = this.actions;
      if (response.citations.length) this.extras.appendChild(renderSourceList(response.citations, open, link));
      this.extras.appendChild(this.toolbar(feedback, answerAsPlainText(response.answer, response.citations, origin)));
    } else {
      this.text.element.before(h('p', { class: 'not-covered-label' }, icon('info'), 'Not covered by the guide'));
      const label = h('p', { class: 'starters-label' }, 'Questions the guide can answer');
      const starters = renderStarters(this.actions.ask, this.actions.starters);
      this.extras.appendChild(h('div', { class: 'not-covered-help' }, label, starters));
      if (feedback) this.extras.appendChild(h('div', { class: 'answer-toolbar' }, feedback.controls));
    }
    if (feedback) this.extras.appendChild(feedback.commentSlot);
  }

  stopped(): void {
    this.text.flush();
    this.setState('stopped');
    this.extras.replaceChildren(
      h(
        'p',
        { class: 'turn-note' },
        this.hasText ? 'Stopped. The answer above is incomplete.' : 'Stopped before the answer started.',
      ),
    );
  }

  failed(error: AskError, canRetry: boolean): void {
    this.text.flush();
    this.setState('error');
    const retry = h(
      'button',
      { type: 'button', class: 'button button-small', 'data-testid': 'retry' },
      icon('retry'),
      h('span', {}, 'Retry'),
    );
    retry.addEventListener('click', () => this.actions.retry());
    const detail = h('p', { class: 'error-detail' }, error.message);
    const box = h(
      'div',
      { class: 'turn-error', role: 'alert', 'data-testid': 'error', 'data-kind': error.kind },
      icon('alert'),
      h('div', { class: 'error-text' }, h('p', { class: 'error-title' }, titleFor(error)), detail),
      canRetry ? retry : null,
    );
    this.extras.replaceChildren(box);
    if (error.kind === 'rate_limited' && error.retryAfter) {
      detail.textContent = `The guide answers a limited number of questions per minute. You can ask again in ${seconds(error.retryAfter)}.`;
      this.waitBeforeRetry(retry, error.retryAfter);
    }
  }

  /** Retry is not offered any more (a newer question was asked). */
  retireRetry(): void {
    this.stopCountdown();
    this.extras.querySelector('[data-testid="retry"]')?.remove();
  }

  focusRetry(): void {
    this.extras.querySelector<HTMLElement>('[data-testid="retry"]')?.focus();
  }

  private waitBeforeRetry(button: HTMLButtonElement, wait: number): void {
    const label = button.querySelector('span')!;
    const until = Date.now() + wait * 1000;
    const tick = () => {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left <= 0) {
        this.stopCountdown();
        button.disabled = false;
        label.textContent = 'Retry';
        return;
      }
      button.disabled = true;
      label.textContent = `Retry in ${left}s`;
    };
    tick();
    this.countdown = setInterval(tick, 250);
  }

  private stopCountdown(): void {
    if (this.countdown !== undefined) clearInterval(this.countdown);
    this.countdown = undefined;
  }

  private toolbar(feedback: AnswerFeedback | null, plain: string): HTMLElement {
    const label = h('span', {}, 'Copy');
    const button = h(
      'button',
      { type: 'button', class: 'button button-ghost button-small', 'data-testid': 'copy', 'aria-label': 'Copy answer' },
      icon('copy'),
      label,
    );
    button.addEventListener('click', async () => {
      const ok = await this.actions.copy(plain);
      label.textContent = ok ? 'Copied' : 'Copy failed';
      button.replaceChild(icon(ok ? 'check' : 'copy'), button.firstChild!);
      setTimeout(() => {
        label.textContent = 'Copy';
        button.replaceChild(icon('copy'), button.firstChild!);
      }, 2000);
    });
    return h('div', { class: 'answer-toolbar' }, feedback?.controls, button);
  }

  private setState(state: string): void {
    this.answer.dataset.state = state;
    this.answer.setAttribute('aria-busy', String(state === 'thinking' || state === 'streaming'));
  }
}

function titleFor(error: AskError): string {
  switch (error.kind) {
    case 'rate_limited':
      return 'Too many questions at once';
    case 'network':
      return 'No connection to the guide';
    case 'interrupted':
      return 'The answer was interrupted';
    case 'request':
      return 'The question could not be sent';
    default:
      return 'The guide ran into a problem';
  }
}

function seconds(n: number): string {
  return n === 1 ? '1 second' : `${n} seconds`;
}
