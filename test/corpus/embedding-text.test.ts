import { describe, expect, it } from 'vitest';
import { embeddingText, lexicalHeading, passageLabel } from '../../src/corpus/embedding-text.ts';

const chunk = (text: string) => ({ headingPath: ['Guide', 'Quick-fire Round'], section: 'Quick-fire Round', text });

describe('passageLabel', () => {
  it('takes a short lead-in ending in a colon as the label, not a sentence', () => {
    expect(passageLabel('Teacher: Crowd control!')).toBe('Teacher');
    expect(passageLabel('Shadow the product team: Some larger companies offer programs.')).toBe(
      'Shadow the product team',
    );
    expect(passageLabel('Here is what a teacher, a nurse and a lawyer all share with PMs: empathy.')).toBeNull();
    expect(passageLabel('No label here.')).toBeNull();
  });
});

describe('lexicalHeading', () => {
  it('heads a passage with its section path (without the document title) and every block label in it', () => {
    const text = 'Freelancer: Excellent time management.\n\nTeacher: Crowd control!\n\nJournalist: Great storyteller.';
    expect(lexicalHeading(chunk(text))).toBe('Quick-fire Round Freelancer Teacher Journalist');
  });

  it('is the section path alone for a passage without labels', () => {
    expect(lexicalHeading(chunk('Products are built for everyone.'))).toBe('Quick-fire Round');
  });
});

describe('embeddingText', () => {
  it('embeds the passage under its section path, the document title left out', () => {
    expect(embeddingText(chunk('Teacher: Crowd control!'))).toBe('Quick-fire Round\nTeacher: Crowd control!');
  });
});
