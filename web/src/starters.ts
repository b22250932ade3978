import { h } from './dom.ts';

/** The assistant's starter questions (GET /assistant.json): none until the page has them. */
let starters: readonly string[] = [];

export function setStarters(questions: readonly string[]): void {
  starters = questions;
}

/** The starter questions as buttons; picking one asks it. */
export function renderStarters(
  ask: (question: string) => void,
  questions: readonly string[] = starters,
): HTMLUListElement {
  const list = h('ul', { class: 'starters' });
  for (const question of questions) {
    const button = h('button', { type: 'button', class: 'starter', 'data-testid': 'starter' }, question);
    button.addEventListener('click', () => ask(question));
    list.appendChild(h('li', {}, button));
  }
  return list;
}
