import { MAX_FEEDBACK_COMMENT_CHARS } from '../../src/http-contract.ts';
import { h } from './dom.ts';
import { icon } from './icons.ts';

type Rating = 'up' | 'down';

/** What happened to a POST /feedback, in the terms the bar explains it. */
type SendResult = 'saved' | 'not-collected' | 'failed';

/** POST /feedback for an answer (to the assistant's origin: the widget runs on other pages). Never throws. */
export async function sendFeedback(
  body: { id: string; rating: Rating; comment?: string },
  endpoint = '/feedback',
): Promise<SendResult> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.ok) return 'saved';
    // The server records nothing (RECORD_QUESTIONS=false, or no database): no answer to rate.
    return response.status === 404 ? 'not-collected' : 'failed';
  } catch {
    return 'failed';
  }
}

/**
 * Thumbs up / down for a finished answer, and an optional comment after thumbs down. The
 * controls sit in the answer's toolbar row, which appears with the answer's sources; the
 * status beside them has a reserved width, so rating moves nothing on the page. Only the
 * comment box, when a reader asks for it by rating down, opens below the row.
 */
export class AnswerFeedback {
  /** Label, thumbs and status: goes in the answer's toolbar row. */
  readonly controls: HTMLElement;
  /** Where the comment box opens, below the toolbar row. */
  readonly commentSlot: HTMLElement;
  private readonly up: HTMLButtonElement;
  private readonly down: HTMLButtonElement;
  private readonly status: HTMLElement;
  private answerId = '';
  private rating: Rating | null = null;

  private constructor(private readonly send: typeof sendFeedback = sendFeedback) {
    this.up = this.thumb('up', 'Helpful');
    this.down = this.thumb('down', 'Not helpful');
    this.status = h('span', { class: 'feedback-status', role: 'status', 'data-testid': 'feedback-status' });
    this.commentSlot = h('div', { class: 'feedback-comment-slot' });
    this.controls = h(
      'div',
      { class: 'answer-feedback', 'data-testid': 'feedback' },
      h('span', { class: 'feedback-label', 'aria-hidden': 'true' }, 'Helpful?'),
      h(
        'div',
        { class: 'feedback-thumbs', role: 'group', 'aria-label': 'Was this answer helpful?' },
        this.up,
        this.down,
      ),
      this.status,
    );
  }

  /** Rate the answer with this id; an answer without one (an old server) offers no thumbs. */
  static for(answerId: string, send?: typeof sendFeedback): AnswerFeedback | null {
    if (!answerId) return null;
    const feedback = new AnswerFeedback(send);
    feedback.answerId = answerId;
    return feedback;
  }

  private thumb(rating: Rating, label: string): HTMLButtonElement {
    const button = h(
      'button',
      {
        type: 'button',
        class: 'feedback-thumb',
        'aria-pressed': 'false',
        'aria-label': label,
        title: label,
        'data-testid': `feedback-${rating}`,
      },
      icon(rating === 'up' ? 'thumbUp' : 'thumbDown'),
    );
    button.addEventListener('click', () => void this.rate(rating));
    return button;
  }

  private async rate(rating: Rating): Promise<void> {
    if (!this.answerId || this.rating === rating) return;
    const previous = this.rating;
    this.press(rating);
    this.status.textContent = '';
    this.commentSlot.replaceChildren();
    const result = await this.send({ id: this.answerId, rating });
    if (result !== 'saved') {
      this.press(previous);
      this.explain(result);
      return;
    }
    this.status.textContent = 'Thanks for your feedback.';
    if (rating === 'down') this.askForComment();
  }

  private askForComment(): void {
    const input = h('textarea', {
      class: 'feedback-comment',
      rows: '2',
      maxlength: String(MAX_FEEDBACK_COMMENT_CHARS),
      placeholder: 'What was wrong or missing? (optional)',
      'aria-label': 'What was wrong or missing? (optional)',
      'data-testid': 'feedback-comment',
    });
    const submit = h(
      'button',
      { type: 'submit', class: 'button button-small', 'data-testid': 'feedback-send' },
      'Send',
    );
    const form = h('form', { class: 'feedback-form' }, input, h('div', { class: 'feedback-form-actions' }, submit));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const comment = input.value.trim();
      if (!comment) {
        this.commentSlot.replaceChildren();
        return;
      }
      submit.disabled = true;
      const result = await this.send({ id: this.answerId, rating: 'down', comment });
      submit.disabled = false;
      if (result !== 'saved') return this.explain(result);
      this.commentSlot.replaceChildren();
      this.status.textContent = 'Thanks, your comment was sent.';
    });
    input.addEventListener('keydown', (event) => {
      // Enter sends, as in the question box; Shift+Enter is a new line.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    this.commentSlot.replaceChildren(form);
    input.focus();
  }

  private press(rating: Rating | null): void {
    this.rating = rating;
    this.up.setAttribute('aria-pressed', String(rating === 'up'));
    this.down.setAttribute('aria-pressed', String(rating === 'down'));
  }

  private explain(result: SendResult): void {
    if (result === 'not-collected') {
      this.status.textContent = 'Feedback is not collected here.';
      this.up.disabled = true;
      this.down.disabled = true;
    } else {
      this.status.textContent = 'Could not send your feedback. Try again.';
    }
  }
}
