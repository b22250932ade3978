import { MAX_QUESTION_CHARS as MAX_CHARS } from '../../src/http-contract.ts';
import { icon } from './icons.ts';

const DRAFT_KEY = 'ask-the-guide:draft';
const SHOW_COUNT_FROM = MAX_CHARS - 300;

export interface ComposerHandlers {
  submit(question: string): void;
  stop(): void;
}

export interface ComposerOptions {
  /**
   * Keep the draft in localStorage (the default). The widget does not: its storage would be
   * the host page's, which has no business holding what was typed into the assistant.
   */
  keepDraft?: boolean;
}

/**
 * The question box: Enter sends, Shift+Enter adds a line, the box grows with its text, and
 * the send button turns into a stop button while an answer streams. The draft is kept in
 * localStorage so a reload loses nothing typed.
 */
export class Composer {
  private busy = false;

  constructor(
    readonly form: HTMLFormElement,
    private readonly input: HTMLTextAreaElement,
    private readonly button: HTMLButtonElement,
    private readonly counter: HTMLElement,
    private readonly handlers: ComposerHandlers,
    private readonly options: ComposerOptions = {},
  ) {
    if (this.keepsDraft) input.value = readDraft() || input.value;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.busy) this.handlers.stop();
      else this.send();
    });
    input.addEventListener('keydown', (event) => {
      // isComposing: Enter that confirms an IME composition is not a send.
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      if (!this.busy) this.send();
    });
    input.addEventListener('input', () => this.changed());
    this.render();
    this.changed();
  }

  get value(): string {
    return this.input.value;
  }

  /** Put text in the box (a failed question comes back here) unless something else is typed. */
  restore(question: string): void {
    if (this.input.value.trim()) return;
    this.input.value = question;
    this.changed();
  }

  clearIf(question: string): void {
    if (this.input.value.trim() === question.trim()) {
      this.input.value = '';
      this.changed();
    }
  }

  focus(): void {
    this.input.focus();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.render();
  }

  private send(): void {
    const question = this.input.value.trim();
    if (!question) {
      this.input.focus();
      return;
    }
    this.input.value = '';
    this.changed();
    this.handlers.submit(question);
  }

  private get keepsDraft(): boolean {
    return this.options.keepDraft !== false;
  }

  private changed(): void {
    if (this.keepsDraft) writeDraft(this.input.value);
    this.grow();
    const length = this.input.value.length;
    this.counter.hidden = length < SHOW_COUNT_FROM;
    this.counter.textContent = `${length} / ${MAX_CHARS}`;
    this.counter.classList.toggle('is-full', length >= MAX_CHARS);
    if (!this.busy) this.button.setAttribute('aria-disabled', String(!this.input.value.trim()));
  }

  private grow(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 200)}px`;
  }

  private render(): void {
    this.button.replaceChildren(icon(this.busy ? 'stop' : 'send'));
    this.button.setAttribute('aria-label', this.busy ? 'Stop the answer' : 'Send question');
    this.button.title = this.busy ? 'Stop' : 'Send (Enter)';
    this.button.dataset.state = this.busy ? 'stop' : 'send';
    this.button.setAttribute('aria-disabled', String(!this.busy && !this.input.value.trim()));
  }
}

function readDraft(): string {
  try {
    return localStorage.getItem(DRAFT_KEY) ?? '';
  } catch {
    return '';
  }
}

function writeDraft(value: string): void {
  try {
    if (value) localStorage.setItem(DRAFT_KEY, value);
    else localStorage.removeItem(DRAFT_KEY);
  } catch {
    // Storage may be blocked (private mode, policies): the draft just is not kept.
  }
}
