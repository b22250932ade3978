import { describe, expect, it } from 'vitest';
import { answerOnce } from '../../src/rag/answer-question.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';

/**
 * People tell their story before they ask ("Journalist here, 12 years in newsrooms, got laid
 * off…"). The words of that story the guide never uses are circumstances: they must not turn
 * a question the guide answers into "not covered", nor make a story the topic when nothing
 * else is asked.
 */
const fixture = useFixtureIndex();
const ask = (question: string) => answerOnce(fixture.index, { question }, { mode: 'extractive' });

describe('the asker\'s circumstances', () => {
  it.each([
    ['Sales rep here, 6 years at a telecom call centre in Leeds, honestly burnt out lately. How do customer insights help a PM prioritize features?', 'Moving from Sales to Product Management'],
    ["I'm a software engineer at a fintech in Lisbon, laid off in March with a toddler at home. How do I become a product manager?", 'Becoming a Product Manager as an Engineer'],
  ])('do not stop the guide answering: "%s"', async (question, section) => {
    const response = await ask(question);
    expect(response.grounded).toBe(true);
    expect(response.citations.map((c) => c.section)).toContain(section);
  });

  it.each([
    "I'm a baker who loves sourdough. Any tips?",
    "I'm a nurse in Leeds and my knee surgery is next week. How long does recovery take?",
  ])('are still the topic when the question asks nothing the guide knows: "%s"', async (question) => {
    expect(await ask(question)).toMatchObject({ grounded: false, citations: [] });
  });
});
