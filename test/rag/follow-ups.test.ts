import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sameStatement } from '../../src/rag/compose-answer.ts';
import type { ChatTurn } from '../../src/rag/types.ts';
import { askExtractive } from '../helpers/ask-extractive.ts';
import { quotedStatements } from '../helpers/answer-shape.ts';
import { useFixtureIndex, withCorpusIndex } from '../helpers/build-fixture-index.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const shipped = useFixtureIndex(fileURLToPath(new URL('../../corpus/', import.meta.url)));
const tempDir = useTempDirs('atg-follow-ups-');

/** A conversation as the UI sends it: each user turn with the answer the pipeline really gave. */
async function converse(questions: string[]) {
  const history: ChatTurn[] = [];
  const answers = [];
  for (const question of questions) {
    const response = await askExtractive(shipped.index, question, [...history]);
    answers.push(response);
    history.push({ role: 'user', content: question }, { role: 'assistant', content: response.answer });
  }
  return answers;
}

describe('follow-ups', () => {
  it.each([
    ['I work in marketing.', 'what should I do first?'],
    ["I'm a teacher, how can I move into product management?", 'and what else?'],
    ['how do I get from sales into product management?', 'what skills would I bring?'],
  ])('repeat no statement of the earlier answer: "%s" then "%s"', async (first, followUp) => {
    const [earlier, later] = await converse([first, followUp]);
    expect(later!.grounded).toBe(true);
    const said = sameStatement(earlier!.answer);
    const { quoted } = quotedStatements(shipped.index, later!);
    expect(quoted.length).toBeGreaterThan(0);
    for (const { statement } of quoted)
      expect(said, `repeated: "${statement.text}"`).not.toContain(sameStatement(statement.text));
  });

  it('carry the topic: "what should I do first?" after "I work in marketing." gives first steps tied to marketing', async () => {
    const [earlier, later] = await converse(['I work in marketing.', 'what should I do first?']);
    const { quoted } = quotedStatements(shipped.index, later!);
    // First steps: the answer opens with something to do, with what it rests on before it
    // ("If you don't work for a company that has PMs, the leap... may be too large. For example,
    // let's say you're a digital marketer... It's recommended that you transfer...": ANSWERS.md).
    const end = quoted.findIndex((q) => q.section !== quoted[0]!.section);
    const opening = quoted.slice(0, end < 0 ? quoted.length : end);
    expect(
      opening.some((q) => q.statement.step),
      later!.answer,
    ).toBe(true);
    // Led by the steps the guide gives a marketer (its digital-marketer example is in that section),
    // or, when the first answer already quoted that example, by the section's other steps.
    expect(quoted[0]!.section.heading, later!.answer).toBe('How to Pivot into Product Management');
    // Not the marketing section again: that was the first answer.
    expect(earlier!.citations[0]!.section).toBe('Transition from Marketing to Product Management');
    expect(
      later!.citations.map((c) => c.section),
      later!.answer,
    ).not.toContain('Transition from Marketing to Product Management');
  });

  it('are about their own words first: "Is it stressful?" after a question about design is answered from the passage on stress', async () => {
    const [, later] = await converse(['How do I move from design into PM?', 'Is it stressful?']);
    expect(later!.support).toBe('answered');
    expect(later!.citations[0]!.section, later!.answer).toBe('Transition to Product Management FAQs');
    expect(later!.answer).toMatch(/^Stress is relative/);
  });

  it('carry the topic through a short follow-up: a third turn, "And what should I do first?", gets the guide\'s first steps', async () => {
    const [, , third] = await converse([
      "I'm a teacher and I want to move into product management.",
      'What skills would transfer?',
      'And what should I do first?',
    ]);
    expect(third!.support).toBe('answered');
    const { quoted } = quotedStatements(shipped.index, third!);
    expect(quoted[0]!.section.heading, third!.answer).toBe('How to Pivot into Product Management');
  });

  it('quote no other background\'s item once the asker\'s own was said: "What skills would transfer?" after "I\'m a teacher..."', async () => {
    const [earlier, later] = await converse([
      "I'm a teacher and I want to move into product management.",
      'What skills would transfer?',
    ]);
    expect(earlier!.answer).toMatch(/\*\*Teacher\*\*/);
    expect(later!.support).toBe('answered');
    const { quoted } = quotedStatements(shipped.index, later!);
    expect(quoted.length).toBeGreaterThan(0);
    const labels = quoted.map((q) => q.statement.label).filter((label) => label !== null);
    expect(labels, later!.answer).toEqual([]);
  });

  it('quote no background\'s item for a background the guide does not list: "What skills would transfer?" after "I\'m a nurse."', async () => {
    // The list is of transferable skills: its theme matches every item, the nurse none.
    const [, later] = await converse(["I'm a nurse.", 'What skills would transfer?']);
    expect(later!.support).toBe('answered');
    const { quoted } = quotedStatements(shipped.index, later!);
    expect(quoted.length).toBeGreaterThan(0);
    expect(
      quoted.map((q) => q.statement.label).filter((label) => label !== null),
      later!.answer,
    ).toEqual([]);
  });

  it('carry the topic to a question that names nothing of the guide, which alone would be none', async () => {
    const question = "what's the biggest difference I'd have to deal with?";
    expect((await askExtractive(shipped.index, question)).support).toBe('none');
    const [, later] = await converse(["I'm a consultant and I'm thinking about product management.", question]);
    expect(later!.support, later!.answer).toBe('answered');
    expect(later!.citations.length).toBeGreaterThan(0);
  });

  it.each(['how do I cook risotto?', 'What is the capital of France?'])(
    'do not carry the topic to a new subject the guide has no word for, short or not: "%s"',
    async (question) => {
      const [, later] = await converse(['How do I move from sales into product management?', question]);
      expect(later!.support).toBe('none');
    },
  );

  it('read a follow-up that names nothing itself after the turn that tells: "I\'m a nurse." then "Any tips?" is answered', async () => {
    const [, later] = await converse(["I'm a nurse.", 'Any tips?']);
    expect(later!.support, later!.answer).toBe('answered');
    expect(later!.citations.length).toBeGreaterThan(0);
  });

  it.each([
    ['How do I move from sales into product management?', 'Kubernetes?'],
    ['I just bought a used car.', 'Thoughts?'],
  ])(
    'but not after a question, nor after a turn that is not the guide\'s: "%s" then "%s" is none',
    async (first, followUp) => {
      const [, later] = await converse([first, followUp]);
      expect(later!.support).toBe('none');
    },
  );

  it('say so in one sentence, citing the section, when the guide has nothing new to add', async () => {
    // A guide of one short section: the first answer says all of it.
    const question = 'should I ask a product manager for a coffee chat?';
    const { earlier, again } = await withCorpusIndex(
      await tempDir(),
      {
        'networking.md': [
          '# Networking for career changers',
          '',
          '## Coffee chats with product managers',
          '',
          'Ask a product manager in your company for a coffee chat and listen to how they spend their week.',
          '',
        ],
      },
      async (index) => {
        const earlier = await askExtractive(index, question);
        const history: ChatTurn[] = [
          { role: 'user', content: question },
          { role: 'assistant', content: earlier.answer },
        ];
        return {
          earlier,
          again: await askExtractive(index, 'and what else about coffee chats with a product manager?', history),
        };
      },
    );
    expect(earlier.answer).toContain('coffee chat and listen');
    expect(again).toMatchObject({ grounded: true });
    expect(again.answer.match(/[.!?](?:\s|$)/g)).toHaveLength(1);
    expect(again.answer).toMatch(/nothing to add/);
    expect(again.citations).toHaveLength(1);
    expect(again.answer).toContain(`**${again.citations[0]!.section}**`);
    expect(again.answer).toContain('[1]');
    expect(again.answer).not.toContain('coffee chat and listen');
  });
});
