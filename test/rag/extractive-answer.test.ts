import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractiveAnswer } from '../../src/rag/extractive-answer.ts';
import { retrieve } from '../../src/rag/retrieve.ts';
import { buildFixtureIndex, useFixtureIndex } from '../helpers/build-fixture-index.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const fixture = useFixtureIndex();
const tempDir = useTempDirs('atg-colon-corpus-');

describe('extractiveAnswer', () => {
  it.each([
    'how do I get from sales into product management?',
    'is a PM certification worth it before switching?',
    'will FAANG companies hire me as a PM if I have never been one?',
    "I'm a designer, what is my edge?",
    "I'm a digital marketer at an agency and we don't have any PMs. Should I apply straight for PM roles at other companies?",
    'in a nutshell, can someone from outside tech realistically switch into product management?',
    'what skills does a teacher bring?',
  ])('cites the top-ranked passage first, with 2 to 5 marked sentences: "%s"', async (question) => {
    const retrieval = await retrieve(fixture.index, { text: question }, 4);
    const answer = extractiveAnswer(fixture.index, retrieval.passages, retrieval.terms, retrieval.localQueryVector);
    const top = retrieval.passages[0]!.chunk;
    expect(answer.citations[0]).toMatchObject({ id: 1, document: top.document, anchor: top.anchor });
    expect(top.text).toContain(answer.citations[0]!.quote);
    const sentences = answer.answer.match(/\[\d+\][.!?…]*/g) ?? [];
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    expect(sentences.length).toBeLessThanOrEqual(5);
  });

  it('leads with the top-ranked passage even when a lower one holds the best-matching sentence', async () => {
    const retrieval = await retrieve(fixture.index, { text: 'how do I get from sales into product management?' }, 4);
    // Reversed, the weakest of the four passages ranks first.
    const passages = [...retrieval.passages].reverse();
    const answer = extractiveAnswer(fixture.index, passages, retrieval.terms, retrieval.localQueryVector);
    expect(answer.citations[0]).toMatchObject({ id: 1, document: passages[0]!.chunk.document, anchor: passages[0]!.chunk.anchor });
    expect(passages[0]!.chunk.text).toContain(answer.citations[0]!.quote);
  });

  it('never quotes a sentence that only announces a list ("there are two main ways to get a job:")', async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, 'jobs.md'),
      [
        '# Getting a product job',
        '',
        '## Main ways to get a product management job',
        '',
        'There are two main ways to get a product management job in your career:',
        '',
        '- Move internally to a product management role at the company you work for today.',
        '- Apply for product management jobs at other companies that hire product managers.',
        '',
        'Networking with product managers helps with both ways of getting the job.',
        '',
      ].join('\n'),
    );
    const small = await buildFixtureIndex(dir);
    try {
      const retrieval = await retrieve(small.index, { text: 'what are the main ways to get a product management job?' }, 4);
      const answer = extractiveAnswer(small.index, retrieval.passages, retrieval.terms, retrieval.localQueryVector);
      expect(answer.citations.length).toBeGreaterThan(0);
      expect(answer.answer).not.toContain('in your career:');
      expect(answer.answer).toContain('Move internally');
    } finally {
      await small.dispose();
    }
  });
});
