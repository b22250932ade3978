import { describe, expect, it } from 'vitest';
import { askExtractive } from '../helpers/ask-extractive.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';

/**
 * People tell their story before they ask ("Journalist here, 12 years in newsrooms, got laid
 * off…"). The words of that story the guide never uses are circumstances: they must not turn
 * a question the guide answers into "not covered", nor make a story the topic when nothing
 * else is asked.
 */
const fixture = useFixtureIndex();
const ask = (question: string) => askExtractive(fixture.index, question);

describe("the asker's circumstances", () => {
  it.each([
    // A control: answered with or without the rule (its story words are few).
    [
      'Sales rep here, 6 years at a telecom call centre in Leeds, honestly burnt out lately. How do customer insights help a PM prioritize features?',
      'Moving from Sales to Product Management',
    ],
    [
      "I'm a software engineer at a fintech in Lisbon, laid off in March with a toddler at home. How do I become a product manager?",
      'Becoming a Product Manager as an Engineer',
    ],
  ])('do not stop the guide answering: "%s"', async (question, section) => {
    const response = await ask(question);
    expect(response.grounded).toBe(true);
    expect(response.citations.map((c) => c.section)).toContain(section);
  });

  it.each([
    // Declined only because "Any tips?" asks about nothing the guide knows: without that
    // condition the story's words would be set aside and its one known word would answer it.
    "I'm a sales rep who loves sourdough baking and kombucha brewing. Any tips?",
    "I'm a baker who loves sourdough. Any tips?",
    "I'm a nurse in Leeds and my knee surgery is next week. How long does recovery take?",
  ])('are still the topic when the question asks nothing the guide knows: "%s"', async (question) => {
    expect(await ask(question)).toMatchObject({ support: 'none', grounded: false, citations: [] });
  });

  it('include what the asker says they lack, whatever the question asks: "a barista with no degree"', async () => {
    const response = await ask("I'm a barista with no degree. Any hope for me?");
    expect(response.support).toBe('answered');
    // Said in the question itself, the same word is asked: the guide does not mention degrees.
    expect((await ask('Can I become a PM without a degree?')).support).toBe('related');
  });
});
