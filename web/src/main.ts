/**
 * Entry point of the chat UI: wires the static page (index.html) to the conversation, the
 * question box and the source panel. No framework; every module owns one part of the page.
 */
import { Chat } from './chat.ts';
import { Composer } from './composer.ts';
import { copyText } from './copy-text.ts';
import { byId } from './dom.ts';
import { SourcePanel } from './source-panel.ts';
import { fetchAssistant, presentAssistant } from './assistant.ts';
import { renderStarters, setStarters } from './starters.ts';

const status = byId<HTMLElement>('status');
let clearStatus: ReturnType<typeof setTimeout> | undefined;

/** Polite announcements for screen readers (answer ready, copied, stopped…). */
function announce(message: string): void {
  status.textContent = message;
  clearTimeout(clearStatus);
  clearStatus = setTimeout(() => (status.textContent = ''), 5000);
}

const panel = new SourcePanel(byId<HTMLDialogElement>('source-panel'), () => composer.focus());

const chat = new Chat({
  conversation: byId('conversation'),
  emptyState: byId('empty-state'),
  composer: () => composer,
  panel,
  announce,
  copy: copyText,
});

const composer = new Composer(
  byId<HTMLFormElement>('composer'),
  byId<HTMLTextAreaElement>('question'),
  byId<HTMLButtonElement>('send'),
  byId('question-count'),
  { submit: (question) => chat.ask(question), stop: () => chat.stop() },
);

// The starters come with the assistant's name; until then (or if it cannot be had) the list stays empty.
void fetchAssistant().then((assistant) => {
  if (assistant) {
    presentAssistant(assistant);
    setStarters(assistant.starters);
  }
  byId('empty-starters').replaceChildren(...renderStarters((question) => chat.ask(question)).children);
  byId('empty-starters-label').hidden = !assistant?.starters.length;
});
byId('new-chat').addEventListener('click', () => chat.newChat());

// Start typing straight away on desktop; on touch screens that would pop the keyboard up.
if (matchMedia('(pointer: fine)').matches) composer.focus();
document.documentElement.classList.add('js');
