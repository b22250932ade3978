import { describe, expect, it } from 'vitest';
import type { AskResponse } from '../../src/rag/types.ts';
import {
  citationProblems,
  expectAskEventOrder,
  fixtureSections,
  markers,
  parseSse,
  readAskStream,
  useFixtureServer,
} from './harness.ts';

/**
 * The /ask contract (DESIGN.md, "HTTP API") in the default extractive mode, over a real
 * socket: the real app served by @hono/node-server on loopback, answering from a real index
 * built from test/fixtures/guide.
 */

const served = useFixtureServer();

const SOURCE_URL = {
  'transition-product-management-background':
    'https://productschool.com/blog/product-management-2/transition-product-management-background',
  'product-side-projects': 'https://example.com/guides/side-projects',
} as Record<string, string>;

const ask = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${served.server.url}/ask`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function askJson(body: unknown): Promise<AskResponse> {
  const res = await ask(body);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as AskResponse;
}

const ANSWERABLE = [
  { question: 'How do I move from sales into product?', section: 'Moving from Sales to Product Management' },
  {
    question: 'What do marketers already know that helps them as product managers?',
    section: 'Transition from Marketing to Product Management',
  },
  {
    question: 'Can a software engineer become a technical product manager?',
    section: 'Becoming a Product Manager as an Engineer',
  },
  {
    question: 'Why would a side project help me get hired?',
    // The side-projects document's opening section says why; its "Building a Side Project" says how.
    section: 'Side Projects for Aspiring Product Managers',
  },
];

const OFF_TOPIC = ['What is the capital of France?', 'How long should I bake sourdough bread?'];

describe('POST /ask (JSON, extractive)', () => {
  it.each(ANSWERABLE)(
    'answers "$question" with the contract shape, citing "$section"',
    async ({ question, section }) => {
      const body = await askJson({ question });
      expect(Object.keys(body).sort()).toEqual(['answer', 'citations', 'grounded', 'id', 'mode', 'support']);
      expect(body.grounded).toBe(true);
      expect(body.support, body.answer).toBe('answered');
      expect(body.mode).toBe('extractive');
      expect(body.answer.trim().length).toBeGreaterThan(0);
      expect(body.citations.length).toBeGreaterThan(0);
      for (const c of body.citations) {
        expect(Object.keys(c).sort()).toEqual([
          'anchor',
          'document',
          'id',
          'quote',
          'score',
          'section',
          'sourceUrl',
          'url',
        ]);
        expect(c).toMatchObject({
          id: expect.any(Number),
          document: expect.any(String),
          section: expect.any(String),
          anchor: expect.any(String),
          quote: expect.any(String),
          score: expect.any(Number),
        });
        // The original page, at the quote (a text fragment).
        expect(c.sourceUrl.startsWith(`${SOURCE_URL[c.document]}#:~:text=`), c.sourceUrl).toBe(true);
        expect(Number.isFinite(c.score)).toBe(true);
      }
      expect(citationProblems(body)).toEqual([]);
      expect(body.citations.map((c) => c.section)).toContain(section);
    },
  );

  it('orders citations by relevance: the reported scores never increase', async () => {
    for (const { question } of ANSWERABLE) {
      const { citations } = await askJson({ question });
      const scores = citations.map((c) => c.score);
      expect(scores, question).toEqual([...scores].sort((a, b) => b - a));
    }
  });

  it('ends every statement with a marker, within about 120 words', async () => {
    for (const { question } of ANSWERABLE) {
      // A related answer's opener is the one sentence of the assistant's own, with no marker.
      const answer = (await askJson({ question })).answer.replace(
        /^The guide doesn't [^\n]*The closest it gets:\n+/,
        '',
      );
      // A section heading line ("**Heading**") heads a block; every other line is the guide's statements.
      const lines = answer.split('\n').filter((line) => line.trim() && !/^\*\*[^*]+\*\*$/.test(line));
      expect(lines.length, question).toBeGreaterThan(0);
      for (const line of lines) expect(line, question).toMatch(/\[\d+\]$/);
      // A paragraph of several statements carries a marker after each (a labelled list item is one statement).
      for (const line of lines.filter((l) => !/^(?:-|\d+\.)\s/.test(l))) {
        for (const s of line.split(/(?<=\])\s+/)) expect(s, `${question}: ${s}`).toMatch(/[.!?…]["'”’)]*\s\[\d+\]$/);
      }
      expect(
        answer
          .replace(/\[\d+\]/g, '')
          .split(/\s+/)
          .filter(Boolean).length,
        question,
      ).toBeLessThanOrEqual(140);
    }
  });

  it('honours k: with one passage retrieved, every citation quotes its section', async () => {
    // A citation quotes a run of statements; with k = 1 they all come from the one section retrieved.
    const body = await askJson({ question: ANSWERABLE[0]!.question, k: 1 });
    expect(body.grounded).toBe(true);
    expect(new Set(body.citations.map((c) => c.anchor)).size).toBe(1);
    expect(citationProblems(body)).toEqual([]);
  });

  it('cites only sections that exist in the fixture, with anchors the fixture headings produce', async () => {
    const headings = new Set(fixtureSections().map((s) => `${s.document}#${s.anchor}`));
    const { citations } = await askJson({ question: 'What skills transfer from sales, marketing or design?', k: 10 });
    expect(citations.length).toBeGreaterThan(0);
    for (const c of citations) expect(headings).toContain(`${c.document}#${c.anchor}`);
  });

  it('carries the topic of the last turn into an elliptical follow-up, answering about its own subject', async () => {
    const history = [
      { role: 'user', content: 'How do I move from marketing into product management?' },
      { role: 'assistant', content: 'Marketers already know user research [1].' },
    ];
    const body = await askJson({ question: 'And what about designers?', history });
    expect(body.grounded).toBe(true);
    expect(body.citations[0]!.section).toBe('Transition from Design to Product Management');
    expect(citationProblems(body)).toEqual([]);
  });

  it.each(OFF_TOPIC)('abstains on an off-topic question: "%s"', async (question) => {
    const body = await askJson({ question });
    expect(body).toMatchObject({ grounded: false, mode: 'extractive', citations: [] });
    expect(body.answer).toMatch(/guide (doesn't|does not) cover/i);
    expect(markers(body.answer)).toEqual([]);
  });
});

describe('POST /ask (Server-Sent Events)', () => {
  async function askStream(body: unknown) {
    const res = await ask(body, { Accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    return readAskStream(parseSse(await res.text()));
  }

  it('sends citations, then one or more deltas, then done with the JSON response', async () => {
    const question = ANSWERABLE[0]!.question;
    const stream = await askStream({ question });
    expectAskEventOrder(stream.events);

    // done carries exactly what the JSON form answers, and the citations event matches it;
    // only the answer id differs, fresh for every response (a cached one too).
    const { id: streamedId, ...streamed } = stream.done;
    const { id: jsonId, ...json } = await askJson({ question });
    expect(streamed).toEqual(json);
    expect(streamedId).toMatch(/^[\w-]{8,}$/);
    expect(streamedId).not.toBe(jsonId);
    expect(stream.citations).toEqual(stream.done.citations);
    expect(stream.deltas.join('')).toBe(stream.done.answer);
    expect(citationProblems(stream.done)).toEqual([]);
  });

  it('streams an abstention the same way: empty citations, the plain sentence, done', async () => {
    const stream = await askStream({ question: OFF_TOPIC[0] });
    expect(stream.events.map((e) => e.event)).toEqual(['citations', ...stream.deltas.map(() => 'delta'), 'done']);
    expect(stream.citations).toEqual([]);
    expect(stream.done).toMatchObject({ grounded: false, citations: [], mode: 'extractive' });
    expect(stream.deltas.join('')).toBe(stream.done.answer);
    expect(stream.done.answer).toMatch(/guide (doesn't|does not) cover/i);
  });

  it('still answers errors before the stream starts with a JSON error status', async () => {
    const res = await ask({ question: '' }, { Accept: 'text/event-stream' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });
});
