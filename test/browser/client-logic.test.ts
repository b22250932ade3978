/**
 * The chat UI's DOM-free parts, in Node: the SSE parser (the stream arrives in arbitrary
 * chunks), Retry-After parsing, and the history sent with each question.
 */
import { describe, expect, it } from 'vitest';
import { retryAfterSeconds } from '../../web/src/api.ts';
import { buildHistory } from '../../web/src/history.ts';
import { parseSse } from '../../web/src/sse.ts';

function streamOf(chunks: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect(chunks: Array<string | Uint8Array>) {
  const out = [];
  for await (const message of parseSse(streamOf(chunks))) out.push(message);
  return out;
}

describe('parseSse', () => {
  it('reads events split anywhere, with LF, CRLF (even split between chunks) and CR line ends', async () => {
    const text = 'event: citations\r\ndata: []\r\n\r\nevent: delta\ndata: {"text":"a"}\n\nevent: done\rdata: {}\r\r';
    const expected = [
      { event: 'citations', data: '[]' },
      { event: 'delta', data: '{"text":"a"}' },
      { event: 'done', data: '{}' },
    ];
    expect(await collect([text])).toEqual(expected);
    // Every possible split into two chunks, including between \r and \n.
    for (let i = 1; i < text.length; i++) expect(await collect([text.slice(0, i), text.slice(i)])).toEqual(expected);
  });

  it('joins multi-line data, skips comments, defaults the event name and drops an unfinished last event', async () => {
    const messages = await collect([
      ': keep-alive\n\ndata: line 1\ndata:line 2\n\nevent: delta\ndata: {"text":"cut off"}',
    ]);
    expect(messages).toEqual([{ event: 'message', data: 'line 1\nline 2' }]);
  });

  it('decodes UTF-8 characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('event: delta\ndata: {"text":"café – ok"}\n\n');
    const at = bytes.indexOf(0xc3) + 1; // inside the two bytes of "é"
    const [message] = await collect([bytes.slice(0, at), bytes.slice(at)]);
    expect(JSON.parse(message!.data)).toEqual({ text: 'café – ok' });
  });
});

describe('retryAfterSeconds', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(null)).toBeUndefined();
    expect(retryAfterSeconds('soon')).toBeUndefined();
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfterSeconds(inTenSeconds)).toBeGreaterThanOrEqual(9);
  });
});

describe('buildHistory', () => {
  it('sends the last few exchanges as user/assistant text without markers', () => {
    const exchanges = Array.from({ length: 5 }, (_, i) => ({ question: `q${i}`, answer: `a${i} [1]. More [2].` }));
    const history = buildHistory(exchanges, 'and designers?');
    expect(history.map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(history[0]).toEqual({ role: 'user', content: 'q2' });
    expect(history[5]).toEqual({ role: 'assistant', content: 'a4. More.' });
  });

  it('caps each message at 4000 characters and keeps the request under the 16 KiB body limit', () => {
    const long = 'é'.repeat(5000);
    const question = 'x'.repeat(2000);
    const history = buildHistory(
      [1, 2, 3].map(() => ({ question: long, answer: long })),
      question,
    );
    expect(history.length).toBeGreaterThan(0);
    expect(history.length).toBeLessThanOrEqual(20);
    expect(history[0]!.role).toBe('user');
    for (const turn of history) expect(turn.content.length).toBeLessThanOrEqual(4000);
    const body = JSON.stringify({ question, history });
    expect(new TextEncoder().encode(body).length).toBeLessThan(16 * 1024);
  });

  it('leaves room for a question whose JSON escapes make it 6 bytes a character', () => {
    const question = '\u0001'.repeat(2000); // 12,000 bytes as JSON
    const long = 'é'.repeat(5000);
    const history = buildHistory(
      [1, 2, 3].map(() => ({ question: long, answer: long })),
      question,
    );
    const body = JSON.stringify({ question, history, k: 10 });
    expect(new TextEncoder().encode(body).length).toBeLessThan(16 * 1024);
  });

  it('is empty when nothing was answered yet', () => {
    expect(buildHistory([], 'hi')).toEqual([]);
  });
});
