import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sameStatement } from '../../src/rag/compose-answer.ts';
import type { ComposedAnswer } from '../../src/rag/types.ts';
import { leaningOf, setsUpWhatFollows } from '../../src/text/discourse.ts';
import { askExtractive } from '../helpers/ask-extractive.ts';
import { markersOf, quotedStatements, wordCount } from '../helpers/answer-shape.ts';
import { useFixtureIndex, withCorpusIndex } from '../helpers/build-fixture-index.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

// The guide the product ships (corpus/), built with the real ingest: it has the labelled
// lists, the numbered list and the course blurbs the composition rules are about.
const shipped = useFixtureIndex(fileURLToPath(new URL('../../corpus/', import.meta.url)));
const guide = useFixtureIndex();
const tempDir = useTempDirs('atg-composition-');

const SHIPPED_QUESTIONS = [
  "I'm a teacher, how can I move into product management?",
  'What skills transfer from customer support?',
  'Do I need a certification?',
  'how do I get from sales into product management?',
  'Is product management a realistic next step for a consultant?',
  'why is moving internally easier than applying elsewhere?',
  'what does a designer bring to product?',
  'is product management stressful?',
  "I'm a digital marketer at an agency and we don't have any PMs. Should I apply straight for PM roles at other companies?",
  'How long does the switch into product management usually take?',
  'I have no experience at all, can I still become a PM?',
  'what are the two main ways to get a product job?',
];
const GUIDE_QUESTIONS = [
  'how do I get from sales into product management?',
  'Why would a side project help me get a PM job?',
  "I'm a designer, what is my edge?",
  'what do engineers bring to a product team?',
];

const grounded = async (question: string, index = shipped.index): Promise<ComposedAnswer> => {
  const response = await askExtractive(index, question);
  expect(response.grounded, question).toBe(true);
  return response;
};

describe('composition properties on the shipped guide and the fixture guide', () => {
  const cases = () => [
    ...SHIPPED_QUESTIONS.map((q) => ({ q, index: shipped.index })),
    ...GUIDE_QUESTIONS.map((q) => ({ q, index: guide.index })),
  ];

  it('leaves nothing dangling: a statement leaning on the one before comes right after it, a list reference after its list', async () => {
    for (const { q, index } of cases()) {
      const response = await grounded(q, index);
      const { normalised, quoted } = quotedStatements(index, response);
      expect(quoted.length, q).toBeGreaterThan(0);
      for (const { statement, section, at } of quoted) {
        const leaning = statement.label ? 'none' : leaningOf(statement.text);
        if (leaning === 'previous') {
          const before = section.statements[statement.position - 1]!;
          expect(normalised, `${q}: "${statement.text}" needs "${before.text}" right before it`).toContain(
            `${sameStatement(before.text)} ${sameStatement(statement.text)}`,
          );
        }
        for (const need of statement.needs) {
          const needed = normalised.indexOf(sameStatement(section.statements[need]!.text));
          expect(needed, `${q}: "${statement.text}" needs "${section.statements[need]!.text}"`).toBeGreaterThanOrEqual(
            0,
          );
          // What it leans on comes before it; what a hypothetical sets up, after it.
          if (need < statement.position) expect(needed).toBeLessThan(at);
          else expect(needed).toBeGreaterThan(at);
        }
      }
    }
  });

  it('never ends on a hypothetical without the sentence it sets up ("For example, let\'s say you\'re a digital marketer...")', async () => {
    const response = await grounded('what are the main ways to actually land a product manager job?');
    const { normalised, quoted } = quotedStatements(shipped.index, response);
    const setups = quoted.filter(({ statement }) => setsUpWhatFollows(statement.text));
    expect(setups.length, response.answer).toBeGreaterThan(0);
    for (const { statement, section } of setups) {
      const next = section.statements[statement.position + 1]!;
      expect(normalised, response.answer).toContain(`${sameStatement(statement.text)} ${sameStatement(next.text)}`);
    }
  });

  it("keeps each section's statements in source order, one block per section, later blocks headed by their section heading", async () => {
    let headed = 0;
    for (const { q, index } of cases()) {
      const response = await grounded(q, index);
      const { quoted } = quotedStatements(index, response);
      const order: string[] = [];
      for (const { section, statement } of quoted) {
        const key = section.anchor;
        if (order.at(-1) !== key) {
          expect(order, `${q}: section ${key} comes back after another section`).not.toContain(key);
          order.push(key);
        }
        // Source order, except that the first block opens with the lead's chain: what it quotes
        // from before the lead follows, itself in source order (two ascending runs at most).
        const same = quoted.filter((x) => x.section.anchor === key).map((x) => x.statement.position);
        const descents = same.filter((p, i) => i > 0 && p < same[i - 1]!).length;
        expect(descents, `${q}: "${statement.text}"`).toBeLessThanOrEqual(order.length === 1 ? 1 : 0);
      }
      const lines = response.answer.split('\n');
      for (const anchor of order.slice(1)) {
        const heading = quoted.find((x) => x.section.anchor === anchor)!.section.heading;
        expect(lines, `${q}: block of "${heading}" is headed`).toContain(`**${heading}**`);
        headed++;
      }
      if (order.length === 1) expect(response.answer, q).not.toMatch(/^\*\*[^*\n]+\*\*$/m);
    }
    // The property is exercised: some answers do draw on more than one section.
    expect(headed).toBeGreaterThan(0);
  });

  it('stays within about 120 words (markers left out) and never opens with a bare "Label:" line', async () => {
    for (const { q, index } of cases()) {
      const response = await grounded(q, index);
      expect(wordCount(response.answer), `${q}:\n${response.answer}`).toBeLessThanOrEqual(140);
      const firstLine = response.answer.split('\n')[0]!;
      expect(firstLine, q).not.toMatch(/^(?:\*\*)?[A-Z][^.!?:\n]{0,40}(?:\*\*)?:\s/);
    }
  });

  it('uses every citation and cites with every marker; each quote is an exact passage of its section', async () => {
    for (const { q, index } of cases()) {
      const response = await grounded(q, index);
      const used = new Set(markersOf(response.answer));
      expect(
        [...used].sort((a, b) => a - b),
        q,
      ).toEqual(response.citations.map((c) => c.id));
      expect(
        response.citations.map((c) => c.id),
        q,
      ).toEqual(response.citations.map((_, i) => i + 1));
      for (const citation of response.citations) {
        const section = index.statements.of(citation.document, citation.anchor)!;
        expect(section.text, q).toContain(citation.quote);
        expect(sameStatement(response.answer), q).toContain(
          sameStatement(citation.quote.replace(/^\s*(?:[-*]|\d+\.)\s+/gm, '')).slice(0, 40),
        );
      }
    }
  });

  it("numbers citations by their section's retrieval rank: citation 1 is from the section ranked first", async () => {
    // "how do I get from sales" is ranked to the sales section first on the fixture guide.
    const response = await grounded('how do I get from sales into product management?', guide.index);
    expect(response.citations[0]).toMatchObject({ id: 1, section: 'Moving from Sales to Product Management' });
  });
});

describe('focus on list items', () => {
  it('quotes the matching item with its label, and not its neighbours', async () => {
    const teacher = await grounded("I'm a teacher, how can I move into product management?");
    expect(teacher.answer).toContain('- **Teacher**: Crowd control! The voice of reason in a chaotic room.');
    expect(teacher.answer).not.toMatch(/Lifeguard|Journalist|Freelancer/);

    const support = await grounded('What skills transfer from customer support?');
    expect(support.answer).toContain('- **Customer service**: Understanding how to solve customer/user problems');
    // Not even as what a later remark leans on: "And that's just a portion of the possible
    // backgrounds" follows the list's last item, Journalist, and is left out with it.
    expect(support.answer).not.toMatch(/Interior design|Personal trainer|Journalist/);
  });

  it('does not fill out the asker\'s own item with another section\'s advice: "What does someone with a journalism background bring?"', async () => {
    const response = await grounded('What does someone with a journalism background bring to a product team?');
    expect(response.answer).toMatch(/^- \*\*Journalist\*\*: Great storyteller/);
    expect(new Set(response.citations.map((c) => c.section))).toEqual(
      new Set(['Quick-fire Round: Transferable Skills']),
    );
  });

  it("brings in the item labelled with the asker's background from another section, under its heading", async () => {
    await withCorpusIndex(
      await tempDir(),
      {
        'changing.md': [
          '# Changing careers into product work',
          '',
          '## Common questions about moving into product management',
          '',
          'Pilots, chefs and librarians have all moved into product management, and most of them started by talking to the product managers at their own company.',
          '',
          'Moving into product management takes patience, curiosity and a habit of talking to users every week.',
          '',
          'Product managers come from many backgrounds and learn most of the job as they go.',
          '',
          '## Skills from other jobs',
          '',
          '- Pilot: Calm under pressure and used to working through checklists.',
          '- Chef: Runs a busy kitchen to a tight schedule.',
          '- Librarian: Organises information so that people can find it.',
          '',
        ],
      },
      async (index) => {
        const pilot = await askExtractive(index, "I'm a pilot. How do I move into product management?");
        // The section retrieval ranks first opens the answer; the pilot's own item follows it.
        expect(pilot.citations[0]!.section).toBe('Common questions about moving into product management');
        expect(pilot.answer).toContain(
          '**Skills from other jobs**\n- **Pilot**: Calm under pressure and used to working through checklists.',
        );
        expect(pilot.answer).not.toMatch(/Chef|Librarian/);
      },
    );
  });

  it('does not lead with a statement of the asked kind that is off the question: a "because" about meetings does not answer a "why" about teams', async () => {
    await withCorpusIndex(
      await tempDir(),
      {
        'teams.md': [
          '# Working in product',
          '',
          '## Product teams and backgrounds',
          '',
          'Calendars in product roles fill up quickly because every release needs a review meeting.',
          '',
          'Product teams want people from many different backgrounds: a designer, an analyst and a former teacher each see the users differently.',
          '',
          'A team of people from different backgrounds catches blind spots that a team of one background misses.',
          '',
          '## Release planning',
          '',
          'Plan releases around what users need most, and review every release with the team.',
          '',
        ],
      },
      async (index) => {
        const response = await askExtractive(index, 'Why do product teams want people from different backgrounds?');
        expect(response.support).toBe('answered');
        expect(response.answer).toMatch(/^Product teams want people from many different backgrounds/);
      },
    );
  });

  it('reads a list item with the sentence that introduces it: "What are the two main ways to get a PM job?" opens with that list', async () => {
    const response = await grounded('What are the two main ways to get a PM job?');
    const lines = response.answer.split('\n').filter((line) => line.trim());
    expect(lines[0], response.answer).toMatch(/two main ways to get a Product Management job: \[\d+\]$/);
    expect(lines[1]).toMatch(/^1\. Make the move to product within your own company\./);
  });

  it('answers "how" with the steps first, as the numbered list of the guide (with what introduces it)', async () => {
    const response = await grounded("I'm a teacher, how can I move into product management?");
    const lines = response.answer.split('\n').filter((line) => line.trim());
    expect(lines[0]).toMatch(/two main ways to get a Product Management job: \[\d+\]$/);
    expect(lines[1]).toMatch(/^1\. Make the move to product within your own company\. \[\d+\]$/);
    expect(lines[2]).toMatch(/^2\. Move to a role similar to yours/);
  });
});

describe('promotion', () => {
  const PROMOTION = /™|\bEnroll\b|Check out our/i;

  it('is left out of answers to questions that are not about courses or certification', async () => {
    for (const q of SHIPPED_QUESTIONS.filter((x) => !/certif|course/i.test(x))) {
      const response = await grounded(q);
      expect(response.answer, q).not.toMatch(PROMOTION);
    }
  });

  it("is welcome when the question is about certification: the guide's offer of a course may be quoted", async () => {
    // ANSWERS.md example 2: the free micro-certification is welcome in an answer about certification.
    const response = await grounded('Do I need a certification?');
    expect(response.answer).toMatch(/free micro-certification/i);
    for (const q of SHIPPED_QUESTIONS.filter((x) => !/certif|course/i.test(x))) {
      const other = await grounded(q);
      expect(
        quotedStatements(shipped.index, other).quoted.filter((x) => x.statement.promotional),
        q,
      ).toEqual([]);
    }
  });

  it("is welcome for what it offers, not for a word of a course's description", async () => {
    // The guide's course card is followed by its description, which asks "How does it further
    // company objectives?": a question about companies is not about that course.
    const response = await grounded(
      'Is it easier to move into PM inside my current company or to apply somewhere new?',
    );
    expect(response.answer).not.toMatch(/company objectives/);
    expect(response.answer).not.toMatch(PROMOTION);
    // Asked about what the card offers (roadmapping, with Productboard), the offer may be quoted.
    const asked = await grounded(
      'Where can I learn about building product roadmaps? I heard Product School has something with Productboard?',
    );
    expect(asked.answer).toMatch(/micro-certification on how to build and maintain effective Roadmaps/);
  });

  it('reads the sentence that leads into a course card as promotion too: "...with a free micro-certification!"', async () => {
    const response = await grounded(
      "should I tell my manager that I want to become a PM eventually, even though I'm not ready?",
    );
    expect(response.answer).not.toMatch(/free micro-certification/i);
  });

  it('is left out when the question shares only a verb with it: "what would I need to learn?" is not about a course', async () => {
    const response = await grounded("I'm a high school math teacher thinking about PM. what would I need to learn?");
    expect(response.answer).not.toMatch(PROMOTION);
  });

  it('is welcome in a follow-up to a question about certification: "Which one?"', async () => {
    await withCorpusIndex(
      await tempDir(),
      {
        'certification.md': [
          '# Certification for career changers',
          '',
          '## Getting certified',
          '',
          'Getting certified as a product manager fills the gaps in what you know about the job.',
          '',
          'Enroll in the Product Foundations™ certification to learn the basics of product management in four weeks.',
          '',
          '## Talking to product managers',
          '',
          'Product managers at your company can tell you what the job is like day to day.',
          '',
          '## Side projects',
          '',
          'A side project shows what you can build and gives you something to talk about in interviews.',
          '',
          '## Moving inside your company',
          '',
          'Moving into product inside your own company is easier, because your managers already know your work.',
          '',
        ],
      },
      async (index) => {
        const history = [
          { role: 'user' as const, content: 'Do I need a certification?' },
          {
            role: 'assistant' as const,
            content: 'Getting certified as a product manager fills the gaps in what you know about the job. [1]',
          },
        ];
        const which = await askExtractive(index, 'Which one?', history);
        expect(which.answer, which.answer).toMatch(/Product Foundations™ certification/);
        // Alone, with nothing carried, the same words welcome no course.
        expect((await askExtractive(index, 'Which one?')).answer).not.toMatch(/Enroll/);
      },
    );
  });

  it('is left out next to a relevant sentence of a purpose-built guide', async () => {
    await withCorpusIndex(
      await tempDir(),
      {
        'courses.md': [
          '# Courses for career changers',
          '',
          '## Sales skills and product courses',
          '',
          'Sales people already know how to listen to customers and explain the value of a product.',
          '',
          'Enroll in the Product Foundations™ course to learn the basics of product management quickly.',
          '',
          'Moving from sales into product management works best when you keep talking to customers.',
          '',
          '## Engineering and product',
          '',
          'Engineers who move into product management already understand how software is built and shipped.',
          '',
          '## Design and product',
          '',
          'Designers who move into product management already understand users and how they work.',
          '',
        ],
      },
      async (index) => {
        const sales = await askExtractive(index, 'how do I move from sales into product management?');
        expect(sales.grounded).toBe(true);
        expect(sales.answer).not.toMatch(PROMOTION);
      },
    );
  });
});

describe('a related answer', () => {
  it('gives only the closest statements: about 60 words after its opener, nothing dangling', async () => {
    for (const question of [
      'How much do product managers earn in London?',
      'Which books should I read to become a PM?',
    ]) {
      const response = await askExtractive(shipped.index, question);
      expect(response.support, question).toBe('related');
      const closest = response.answer.slice(response.answer.indexOf('The closest it gets:'));
      // The first statement chosen may run over the budget on its own; the rest may not.
      expect(wordCount(closest), response.answer).toBeLessThanOrEqual(90);
      expect(response.answer).not.toMatch(/for a number of reasons\. \[\d+\]$/m);
    }
  });
});

describe('what the guide says about itself', () => {
  const SIGNPOST = /We’ll dive deep|But first, a quick word|In this article|We’re about to dive/;

  it('is left out of answers about the subject: a follow-up asking for first steps gets no "But first, a quick word of advice"', async () => {
    for (const question of SHIPPED_QUESTIONS) {
      const response = await grounded(question);
      expect(response.answer, question).not.toMatch(SIGNPOST);
    }
    const first = await grounded('I work in marketing.');
    const followUp = await askExtractive(shipped.index, 'what should I do first?', [
      { role: 'user', content: 'I work in marketing.' },
      { role: 'assistant', content: first.answer },
    ]);
    expect(followUp.grounded).toBe(true);
    expect(followUp.answer).not.toMatch(SIGNPOST);
  });

  it('answers a question about the guide itself', async () => {
    const response = await grounded('What is this guide about?');
    expect(response.answer).toMatch(/^In this article, we'll cover the many paths/);
  });
});

describe('Markdown safety', () => {
  it('corpus text with "[2]" or "**" forges neither a marker nor emphasis', async () => {
    await withCorpusIndex(
      await tempDir(),
      {
        'forged.md': [
          '# Interview preparation',
          '',
          '## Preparing for product interviews',
          '',
          'Practise product interviews with a friend who reads out questions from a list [2] every evening.',
          '',
          'Write your **best stories** down before product interviews so you can tell them calmly.',
          '',
        ],
      },
      async (index) => {
        const listed = await askExtractive(
          index,
          'is practising product interviews with a friend every evening useful?',
        );
        expect(listed.answer).toContain('from a list');
        // Only the composer's own markers, each with its citation.
        expect(markersOf(listed.answer).every((n) => n >= 1 && n <= listed.citations.length)).toBe(true);
        expect(listed.answer).not.toContain('list [2]');
        // The citation quotes the corpus as it is.
        expect(listed.citations.map((c) => c.quote).join(' ')).toContain('[2]');

        const stories = await askExtractive(index, 'should I write my best stories down before product interviews?');
        expect(stories.answer).toContain('best stories');
        expect(stories.answer).not.toContain('**best stories**');
      },
    );
  });
});

describe('what a statement is', () => {
  /** The shipped guide's statement that starts with the text. */
  function statementStarting(text: string) {
    for (const chunk of shipped.index.chunks) {
      const section = shipped.index.statements.of(chunk.document, chunk.anchor);
      const found = section?.statements.find((s) => s.text.startsWith(text));
      if (found) return found;
    }
    throw new Error(`no statement starts with ${text}`);
  }

  it('reads a labelled item as a step by its label, not by the first word after it', () => {
    expect(statementStarting('Start a conversation:').step).toBe(true);
    // "Excellent time management skills." is what a freelancer is good at, not something to do.
    expect(statementStarting('Freelancer:').step).toBe(false);
  });

  it('reads the sentence a hypothetical sets up with that hypothetical', () => {
    const advice = statementStarting('It’s recommended that you transfer to a marketing role');
    const setUp = statementStarting('For example, let’s say you’re a digital marketer');
    expect(advice.needs).toContain(setUp.position);
  });
});
