import { describe, expect, it } from 'vitest';
import { condenseExtractive, isElliptical } from '../../src/rag/condense.ts';
import type { ChatTurn } from '../../src/rag/types.ts';

const history: ChatTurn[] = [
  { role: 'user', content: 'How do marketers move into product management?' },
  { role: 'assistant', content: 'Marketers already know user research [1].' },
];

describe('condenseExtractive (deterministic follow-ups)', () => {
  it('leaves a question alone when there is no history', () => {
    expect(condenseExtractive('And what about designers?')).toEqual({ text: 'And what about designers?' });
    expect(condenseExtractive('And what about designers?', [])).toEqual({ text: 'And what about designers?' });
  });

  it('carries the last user turn as context for an elliptical follow-up, keeping the question itself', () => {
    expect(condenseExtractive('and what about designers?', history)).toEqual({
      text: 'and what about designers?',
      context: 'How do marketers move into product management?',
    });
  });

  it('uses the most recent user turn, never an assistant turn', () => {
    const longer: ChatTurn[] = [
      ...history,
      { role: 'user', content: 'What about engineers moving into product?' },
      { role: 'assistant', content: 'Engineers [1].' },
    ];
    expect(condenseExtractive('Is it hard?', longer).context).toBe('What about engineers moving into product?');
    expect(
      condenseExtractive('Is it hard?', [{ role: 'assistant', content: 'Hello, ask me anything about the guide.' }]),
    ).toEqual({ text: 'Is it hard?' });
  });

  it('carries what a short follow-up leaned on too, up to the turn that named the topic', () => {
    const conversation: ChatTurn[] = [
      { role: 'user', content: "I'm a teacher and I want to move into product management." },
      { role: 'assistant', content: 'Teacher: crowd control [1].' },
      { role: 'user', content: 'What skills would transfer?' },
      { role: 'assistant', content: 'Almost any skill set [1].' },
    ];
    expect(condenseExtractive('And what should I do first?', conversation).context).toBe(
      "I'm a teacher and I want to move into product management.\nWhat skills would transfer?",
    );
  });

  it('does not carry context into a question that stands on its own', () => {
    expect(condenseExtractive('How can a software engineer become a technical product manager?', history)).toEqual({
      text: 'How can a software engineer become a technical product manager?',
    });
  });
});

describe('isElliptical', () => {
  it.each([
    'And what about designers?',
    'what about sales?',
    'How about engineers?',
    'Also consultants?',
    'Is it hard?',
    'Does that apply to them?',
    'Designers?',
    '  but why?  ',
  ])('"%s" leans on the conversation', (question) => {
    expect(isElliptical(question)).toBe(true);
  });

  it.each([
    'How do marketers move into product management?',
    'What skills do salespeople bring to product management?',
    'Can a software engineer become a technical product manager?',
  ])('"%s" stands alone', (question) => {
    expect(isElliptical(question)).toBe(false);
  });
});
