import { AskError, askStream } from './api.ts';
import type { Composer } from './composer.ts';
import { buildHistory, type Exchange } from './history.ts';
import type { SourcePanel } from './source-panel.ts';
import { TurnView, type TurnActions } from './turn-view.ts';
import type { ChatTurn } from './types.ts';

export interface ChatDeps {
  conversation: HTMLElement;
  emptyState: HTMLElement;
  composer: () => Composer;
  panel: Pick<SourcePanel, 'open' | 'reset'>;
  announce: (message: string) => void;
  copy: (text: string) => Promise<boolean>;
  /** The /ask URL; the page's own /ask by default (the widget asks its assistant's origin). */
  endpoint?: string;
  /** The element the conversation scrolls in; the page itself by default. */
  scroller?: HTMLElement;
  /** How each turn shows citations and starters, when not as on the main page. */
  turnOptions?: Pick<TurnActions, 'link' | 'origin' | 'starters'>;
}

interface Turn {
  view: TurnView;
  /** The history as it was when the question was first asked: a retry sends the same. */
  history: ChatTurn[];
  /** Set once the answer is complete: only these go back to the server as history. */
  exchange?: Exchange;
}

/**
 * The conversation: asks, streams each answer into its turn, keeps the completed exchanges
 * for `history`, and handles stop, retry and "new chat". One answer streams at a time.
 */
export class Chat {
  private turns: Turn[] = [];
  private inFlight: AbortController | null = null;

  constructor(private readonly deps: ChatDeps) {}

  get busy(): boolean {
    return this.inFlight !== null;
  }

  ask(question: string): void {
    if (this.busy) return;
    for (const turn of this.turns) turn.view.retireRetry();
    const history = buildHistory(
      this.turns.flatMap((t) => (t.exchange ? [t.exchange] : [])),
      question,
    );
    const turn: Turn = {
      view: new TurnView(question, {
        open: (citation, opener) => this.deps.panel.open(citation, opener),
        retry: () => this.retry(turn),
        ask: (q) => this.ask(q),
        copy: async (text) => {
          const ok = await this.deps.copy(text);
          this.deps.announce(ok ? 'Answer copied to the clipboard.' : 'Copying failed.');
          return ok;
        },
        ...this.deps.turnOptions,
      }),
      history,
    };
    this.turns.push(turn);
    this.deps.emptyState.hidden = true;
    this.deps.conversation.appendChild(turn.view.element);
    follow(turn.view.element, this.deps.scroller);
    void this.run(turn);
  }

  stop(): void {
    this.inFlight?.abort(new DOMException('Stopped by the user', 'AbortError'));
  }

  newChat(): void {
    this.stop();
    this.inFlight = null;
    this.deps.composer().setBusy(false);
    this.deps.conversation.setAttribute('aria-busy', 'false');
    this.deps.panel.reset();
    this.turns = [];
    this.deps.conversation.replaceChildren();
    this.deps.emptyState.hidden = false;
    (this.deps.scroller ?? window).scrollTo({ top: 0 });
    this.deps.announce('New chat started.');
    this.deps.composer().focus();
  }

  private retry(turn: Turn): void {
    if (this.busy || this.turns[this.turns.length - 1] !== turn) return;
    this.deps.composer().clearIf(turn.view.question);
    void this.run(turn);
  }

  private async run(turn: Turn): Promise<void> {
    const controller = new AbortController();
    this.inFlight = controller;
    const composer = this.deps.composer();
    composer.setBusy(true);
    turn.view.thinking();
    this.deps.conversation.setAttribute('aria-busy', 'true');
    this.deps.announce('The guide is answering…');
    try {
      const request = { question: turn.view.question, ...(turn.history.length ? { history: turn.history } : {}) };
      for await (const event of askStream(request, controller.signal, this.deps.endpoint)) {
        const stick = nearBottom(this.deps.scroller);
        if (event.type === 'citations') turn.view.citations(event.citations);
        else if (event.type === 'delta') turn.view.delta(event.text);
        else {
          turn.view.done(event.response);
          turn.exchange = { question: turn.view.question, answer: event.response.answer };
          this.deps.announce(
            event.response.grounded
              ? `Answer ready, with ${event.response.citations.length} ${event.response.citations.length === 1 ? 'source' : 'sources'}.`
              : 'The guide does not cover that question.',
          );
        }
        if (stick) follow(turn.view.element, this.deps.scroller);
      }
    } catch (error) {
      if (controller.signal.aborted) {
        turn.view.stopped();
        if (turn.view.element.isConnected && !turn.view.hasText) composer.restore(turn.view.question);
        this.deps.announce('Stopped.');
      } else {
        const failure = error instanceof AskError ? error : new AskError('server', 'Something unexpected went wrong.');
        turn.view.failed(failure, failure.kind !== 'request');
        // Nothing typed is lost: the question goes back into the box if it is empty.
        // (The error box is role=alert, so it announces itself.)
        composer.restore(turn.view.question);
      }
    } finally {
      if (this.inFlight === controller) {
        this.inFlight = null;
        composer.setBusy(false);
        this.deps.conversation.setAttribute('aria-busy', 'false');
      }
    }
  }
}

function nearBottom(scroller?: HTMLElement): boolean {
  const root = scroller ?? document.scrollingElement ?? document.documentElement;
  return root.scrollHeight - (root.scrollTop + root.clientHeight) < 120;
}

/**
 * Keep the newest words in view as they stream, but never scroll the start of the turn (the
 * question) up under the header: a long answer is read from its beginning.
 */
function follow(turn: HTMLElement, scroller?: HTMLElement): void {
  const root = scroller ?? document.scrollingElement ?? document.documentElement;
  // The page scrolls under its sticky header; a scrolling element has none over it.
  const top = scroller
    ? scroller.getBoundingClientRect().top
    : (document.querySelector('.topbar')?.getBoundingClientRect().height ?? 0);
  const turnTop = turn.getBoundingClientRect().top + root.scrollTop - top - 12;
  const bottom = root.scrollHeight - root.clientHeight;
  const target = Math.min(bottom, turnTop);
  if (target > root.scrollTop) root.scrollTop = target;
}
