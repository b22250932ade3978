import { h } from './dom.ts';

/** Questions the guide answers well (checked against the real corpus in the browser tests). */
export const STARTERS = [
  'How do I move from sales into product management?',
  'What skills from project management carry over to product?',
  'Do I need a technical background to become a PM?',
] as const;

/** The starter questions as buttons; picking one asks it. */
export function renderStarters(
  ask: (question: string) => void,
  questions: readonly string[] = STARTERS,
): HTMLUListElement {
  const list = h('ul', { class: 'starters' });
  for (const question of questions) {
    const button = h('button', { type: 'button', class: 'starter', 'data-testid': 'starter' }, question);
    button.addEventListener('click', () => ask(question));
    list.appendChild(h('li', {}, button));
  }
  return list;
}
