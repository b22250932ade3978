import { describe, expect, it } from 'vitest';
import { buildQualifierWords, buildRelatedWords } from '../../src/embeddings/related-words.ts';

describe('WordNet tables built at ingest', () => {
  it('relates a word the corpus lacks to the corpus words it stands for', () => {
    const related = buildRelatedWords(['salary', 'trainer']);
    expect(related.wage).toContain('salari');
  });

  it('lists the words used mostly as adjectives or adverbs, by their tagged senses, whatever their shape', () => {
    const qualifiers = new Set(buildQualifierWords());
    for (const word of ['crazy', 'late', 'weird', 'remote', 'basically']) expect(qualifiers, word).toContain(word);
    // Nouns and verbs, and words used as much as nouns ("patient": one tagged sense each way).
    for (const word of ['patient', 'edge', 'advantage', 'interview', 'begin'])
      expect(qualifiers, word).not.toContain(word);
  });
});
