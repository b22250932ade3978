import { describe, expect, it } from 'vitest';
import { asksForList, questionKind } from '../../src/rag/question-kind.ts';

describe('questionKind', () => {
  it.each([
    ['How do I move from sales into product management?', 'how'],
    ['how to get into PM?', 'how'],
    ['Can you tell me how to start?', 'how'],
    ['Where should I start?', 'how'],
    ['Where do I even begin?', 'how'],
    ['No idea where to start.', 'how'],
    ['Why would a company hire a former engineer as a PM?', 'why'],
    ['What skills do I bring from teaching?', 'bring'],
    ['Is product management stressful?', 'other'],
  ])('"%s" asks for %s', (question, kind) => {
    expect(questionKind(question)).toBe(kind);
  });

  it.each(['Do I need to know how to code to be a PM?', 'Should I learn how to code first?'])(
    '"%s" names a skill with "how to": it asks whether, not how',
    (question) => {
      expect(questionKind(question)).toBe('other');
    },
  );
});

describe('asksForList', () => {
  it('is true for a question whose answer is a list, false otherwise', () => {
    expect(asksForList('Which backgrounds can move into product?')).toBe(true);
    expect(asksForList('How do I move into product?')).toBe(false);
  });
});
