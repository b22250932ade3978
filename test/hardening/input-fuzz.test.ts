import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoadedIndex } from '../../src/index/loaded-index.ts';
import type { AskResponse } from '../../src/rag/types.ts';
import { createApp } from '../../src/server/app.ts';
import { BODY_LIMIT_BYTES } from '../../src/http-contract.ts';
import { askRequest } from '../helpers/ask-request.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';
import { postChunked, rawExchange } from '../helpers/raw-http.ts';
import { userMessage, type ChatCompletionRequestBody } from '../mocks/openai-chat.ts';
import { useOpenAITestServer } from '../mocks/openai-server.ts';
import {
  allowLoopback,
  appDeps,
  errorShapeProblems,
  llmAnswerDeps,
  modelReply,
  parseSse,
  serveOnLoopback,
  testConfig,
  type App,
  type Loopback,
} from './support.ts';

/**
 * Hostile input against the real app in `llm` mode (real ChatOpenAI client, msw as the model
 * server): whatever arrives, the answer is one of the contract's statuses, never a 500, every
 * error has the contract's shape, and a rejected request never costs a model call.
 */

const openai = useOpenAITestServer();
const fixture = useFixtureIndex();
let app: App;

const chatCalls = () => openai.requestsTo('/chat/completions').length;
const answerPrompts = () =>
  openai.requestsTo<ChatCompletionRequestBody>('/chat/completions').map((r) => userMessage(r.body));

beforeAll(() => {
  app = createApp(
    appDeps(fixture.index, { answer: llmAnswerDeps(), config: testConfig({ REQUEST_TIMEOUT_MS: 30_000 }) }),
  );
});

beforeEach(() => {
  // A well-behaved model: cites passage 1.
  openai.on<ChatCompletionRequestBody>('/chat/completions', ({ request, body }) =>
    modelReply(request, body, ['Side projects let you ', 'practise product skills [1].']),
  );
});

const post = (body: BodyInit, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  app.request('/ask', { method: 'POST', headers, body });

async function expectError(res: Response, status: number, messagePattern?: RegExp): Promise<string> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(errorShapeProblems(res.status, text)).toEqual([]);
  const message = (JSON.parse(text) as { error: { message: string } }).error.message;
  if (messagePattern) expect(message).toMatch(messagePattern);
  return message;
}

describe('property: random requests get a contract status and never reach the model when rejected', () => {
  /** Content types: JSON spellings that must be accepted, and the rest. */
  const jsonTypes = [
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON',
    'application/json;charset=UTF-8',
    'application/problem+json',
    'application/vnd.api+json',
  ];
  // The last three once reached @hono/zod-openapi's own media-type gate and came back as 500s.
  const otherTypes = [
    'application/json ; charset=UTF-8',
    'application/a+b+json',
    'application/json;',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonx',
    'json',
    'text/json',
    'application/xml',
    '',
  ];
  const contentType = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...jsonTypes) },
    { weight: 2, arbitrary: fc.constantFrom(...otherTypes) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );

  /** Any UTF-16 code unit, lone surrogates and control characters included. */
  const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
  const wildText = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: anyUnit, maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
  const goodQuestion = fc
    .oneof(
      fc.constantFrom(
        'How do I move from sales into product?',
        'What side project should I build?',
        'Cafe\u0301 culture?',
        '  padded question \u0007 ',
      ),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }),
    )
    .filter((q) => q.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '').trim().length > 0);
  const turn = fc.record({
    role: fc.constantFrom('user', 'assistant'),
    content: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0),
  });
  const validAsk = fc.record(
    { question: goodQuestion, history: fc.array(turn, { maxLength: 4 }), k: fc.integer({ min: 1, max: 10 }) },
    { requiredKeys: ['question'] },
  );

  const anyValue = fc.oneof(
    fc.jsonValue(),
    wildText,
    fc.integer(),
    fc.double(),
    fc.constant(null),
    fc.array(fc.anything(), { maxLength: 3 }),
  );
  const mutatedAsk = fc.record(
    {
      question: fc.oneof(goodQuestion, wildText, anyValue),
      history: fc.oneof(fc.array(turn, { maxLength: 25 }), anyValue),
      k: fc.oneof(fc.integer({ min: -5, max: 20 }), anyValue),
      extra: anyValue,
    },
    { requiredKeys: [] },
  );
  const bigPadding = fc.integer({ min: BODY_LIMIT_BYTES + 1, max: BODY_LIMIT_BYTES * 3 });

  /** Other request headers, hostile or odd: a lying Content-Length, an encoding that was not applied, forwarding headers. */
  const headerValue = fc
    .string({ unit: 'grapheme-ascii', maxLength: 30 })
    .map((v) => v.replace(/[^\x20-\x7e]/g, '').trim());
  const extraHeaders = fc.dictionary(
    fc.constantFrom(
      'content-length',
      'content-encoding',
      'x-forwarded-for',
      'origin',
      'accept-language',
      'accept-charset',
      'x-request-id',
      'cookie',
      'authorization',
      'x-anything',
    ),
    fc.oneof(
      headerValue,
      fc.constantFrom('gzip', '0', '-1', '99999999', 'abc', '16385', '1.5', 'https://evil.example'),
    ),
    { maxKeys: 3 },
  );

  type Case = {
    body: string;
    contentType: string;
    accept?: string;
    headers: Record<string, string>;
    expectOk: boolean;
  };
  const body = fc.oneof(
    { weight: 4, arbitrary: validAsk.map((v) => ({ body: JSON.stringify(v), valid: true })) },
    { weight: 4, arbitrary: mutatedAsk.map((v) => ({ body: JSON.stringify(v), valid: false })) },
    { weight: 2, arbitrary: fc.json().map((j) => ({ body: j, valid: false })) },
    { weight: 2, arbitrary: wildText.map((s) => ({ body: s, valid: false })) },
    {
      weight: 1,
      arbitrary: bigPadding.map((n) => ({
        body: JSON.stringify({ question: 'q'.repeat(10) }) + ' '.repeat(n),
        valid: false,
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{"question":"a\\ud800b"}',
          '{"question":"\\udfff"}',
          '{"question":"x","history":[{"role":"user","content":"\\ud83d"}]}',
        )
        .map((b) => ({ body: b, valid: false })),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 100, max: 5000 })
        .map((n) => ({ body: `{"question":"x","history":${'['.repeat(n)}${']'.repeat(n)}}`, valid: false })),
    },
  );
  const cases: fc.Arbitrary<Case> = fc
    .record({
      body,
      contentType,
      accept: fc.option(
        fc.constantFrom(
          'application/json',
          'text/event-stream',
          '*/*',
          'text/event-stream, application/json',
          'text/html',
        ),
        { nil: undefined },
      ),
      headers: extraHeaders,
    })
    .map(({ body: b, contentType: type, accept, headers }) => ({
      body: b.body,
      contentType: type,
      accept,
      headers,
      // A lying Content-Length may legitimately turn a good body into a 413.
      expectOk: b.valid && jsonTypes.includes(type) && !('content-length' in headers),
    }));

  it('status in the contract, never 500, error shape exact, no model call on rejection', {
    timeout: 60_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const before = chatCalls();
        const headers: Record<string, string> = { ...c.headers };
        if (c.contentType) headers['Content-Type'] = c.contentType;
        if (c.accept) headers.Accept = c.accept;
        const res = await post(c.body, headers);
        const text = await res.text();
        expect([200, 400, 413, 415], `${res.status} ${text.slice(0, 200)}`).toContain(res.status);
        if (c.expectOk) expect(res.status, text.slice(0, 300)).toBe(200);
        if (res.status !== 200) {
          expect(errorShapeProblems(res.status, text)).toEqual([]);
          expect(chatCalls(), 'a rejected request reached the model').toBe(before);
          return;
        }
        if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
          const events = parseSse(text);
          expect(events[0]?.event).toBe('citations');
          expect(events.at(-1)?.event).toBe('done');
        } else {
          const json = JSON.parse(text) as AskResponse;
          expect(typeof json.answer).toBe('string');
          expect(typeof json.grounded).toBe('boolean');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('body size', () => {
  let server: Loopback;
  beforeEach(() => allowLoopback(openai));
  beforeAll(async () => {
    server = await serveOnLoopback(createApp(appDeps(fixture.index, { answer: llmAnswerDeps() })));
  });
  afterAll(() => server?.close());

  /** A valid request body padded with JSON whitespace to exactly `bytes` bytes. */
  const paddedBody = (bytes: number) => {
    const json = JSON.stringify({ question: 'What side project should I build?' });
    return json + ' '.repeat(bytes - Buffer.byteLength(json));
  };

  it('accepts exactly 16 KiB and refuses one byte more (413), even without Content-Length', async () => {
    expect((await post(paddedBody(BODY_LIMIT_BYTES))).status).toBe(200);
    const calls = chatCalls();
    // app.request builds a Request without Content-Length: the limit is enforced on the stream.
    await expectError(await post(paddedBody(BODY_LIMIT_BYTES + 1)), 413);
    expect(chatCalls()).toBe(calls);
  });

  it('413 on a real socket with a Content-Length over the limit, before the body is read', async () => {
    const size = 64 * 1024;
    const res = await rawExchange(server.port, async (write) => {
      await write(
        `POST /ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`,
      );
      await write(paddedBody(size));
    });
    expect(res.status).toBe(413);
    expect(errorShapeProblems(413, res.body)).toEqual([]);
  });

  it('413 on a real socket for a chunked body with no Content-Length, counted as it streams', async () => {
    const calls = chatCalls();
    // About 1 KB of question, then 40 more KiB in 1 KiB chunks, well past the limit.
    const res = await postChunked(server.port, '/ask', [
      `{"question":"${'a'.repeat(1000)}`,
      ...Array.from({ length: 40 }, () => ' '.repeat(1024)),
      '"}',
    ]);
    expect(res.status).toBe(413);
    expect(errorShapeProblems(413, res.body)).toEqual([]);
    expect(chatCalls()).toBe(calls);
  });

  it('a chunked body under the limit is answered normally', async () => {
    const res = await postChunked(server.port, '/ask', ['{"question":', '"What side project ', 'should I build?"}']);
    expect(res.status, res.body).toBe(200);
    expect((JSON.parse(res.body) as AskResponse).mode).toBe('llm');
  });
});

describe('media type, JSON and schema errors', () => {
  it('415 for a JSON body sent as text/plain, form data, or with no Content-Type', async () => {
    const body = JSON.stringify({ question: 'What side project should I build?' });
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
    ]) {
      await expectError(await post(body, { 'Content-Type': type }), 415);
    }
    await expectError(await app.request('/ask', { method: 'POST', body }), 415);
    expect(chatCalls()).toBe(0);
  });

  it('accepts every spelling of a JSON media type the validator reads', async () => {
    const body = JSON.stringify({ question: 'What side project should I build?' });
    for (const type of [
      'application/json',
      'APPLICATION/JSON; charset=utf-8',
      'application/json;charset=utf-8',
      'application/vnd.api+json',
    ]) {
      const res = await post(body, { 'Content-Type': type });
      expect(res.status, `${type}: ${await res.clone().text()}`).toBe(200);
    }
  });

  it('415, not 500, for near-JSON types the validator would not read', async () => {
    const body = JSON.stringify({ question: 'What side project should I build?' });
    for (const type of ['application/json ; charset=utf-8', 'application/a+b+json', 'application/json;'])
      await expectError(await post(body, { 'Content-Type': type }), 415);
    expect(chatCalls()).toBe(0);
  });

  it('400 naming the body for malformed JSON and non-object JSON', async () => {
    for (const body of ['{"question": "x"', 'question=x', '', '\u0000', '{"question": "x"}}'])
      await expectError(await post(body), 400, /^body\b/);
    for (const body of ['null', '[]', '"question"', '42']) await expectError(await post(body), 400, /^body\b/);
    expect(chatCalls()).toBe(0);
  });

  it('400 naming the field for schema violations', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /^question\b/],
      [{ question: 5 }, /^question\b/],
      [{ question: '   ' }, /^question\b.*empty/],
      [{ question: '\u0000\u0007\u001b' }, /^question\b.*empty/],
      [{ question: 'x', k: 0 }, /^k\b/],
      [{ question: 'x', k: 11 }, /^k\b/],
      [{ question: 'x', k: 2.5 }, /^k\b/],
      [{ question: 'x', history: 'no' }, /^history\b/],
      [{ question: 'x', history: [{ role: 'system', content: 'hi' }] }, /^history\.0\.role\b/],
      [{ question: 'x', history: [{ role: 'user', content: 'hi', name: 'x' }] }, /^history\.0\b.*name/],
      [{ question: 'x', extra: true }, /extra/],
      [JSON.parse('{"question":"x","__proto__":{"k":1}}'), /__proto__/],
    ];
    for (const [body, pattern] of cases) await expectError(await post(JSON.stringify(body)), 400, pattern);
    expect(chatCalls()).toBe(0);
  });

  it('400 for a lone surrogate in the question or history (JSON \\ud800 escapes), naming the field', async () => {
    await expectError(await post('{"question":"How do I \\ud800 move?"}'), 400, /^question\b.*surrogate/);
    await expectError(await post('{"question":"\\udc00"}'), 400, /^question\b/);
    await expectError(
      await post('{"question":"x","history":[{"role":"user","content":"a\\ud83d"}]}'),
      400,
      /^history\.0\.content\b/,
    );
    // A well-formed pair is fine.
    expect((await post('{"question":"What side project should I build? \\ud83d\\ude80"}')).status).toBe(200);
    expect(chatCalls()).toBe(1);
  });

  it('history: at most 20 messages', async () => {
    const history = Array.from({ length: 21 }, (_, i) => ({
      role: i % 2 ? 'assistant' : 'user',
      content: `turn ${i}`,
    }));
    await expectError(
      await post(JSON.stringify({ question: 'What side project should I build?', history })),
      400,
      /^history\b/,
    );
    expect(chatCalls()).toBe(0);
  });

  it('question: at most 2000 characters after trimming', async () => {
    await expectError(await post(JSON.stringify({ question: 'a'.repeat(2001) })), 400, /^question\b.*2000/);
    await expectError(await post(JSON.stringify({ question: `  ${'b'.repeat(2001)}  ` })), 400, /^question\b/);
    expect(chatCalls()).toBe(0);
    // 2000 characters padded with whitespace is within bounds.
    const res = await post(
      JSON.stringify({ question: `   ${'What side project should I build? '.repeat(60).slice(0, 2000)}   \n` }),
    );
    expect(res.status, await res.clone().text()).toBe(200);
  });
});

describe('what reaches retrieval and the model', () => {
  /** The index with its local embedder wrapped, recording every text retrieval embeds. */
  function spiedIndex(index: LoadedIndex): { index: LoadedIndex; embedded: string[] } {
    const embedded: string[] = [];
    const target = index.localEmbedder;
    const spy = new Proxy(target, {
      get(obj, prop) {
        const value = Reflect.get(obj, prop, obj) as unknown;
        if (prop === 'embedQueryVector')
          return (text: string) => {
            embedded.push(text);
            return (value as (t: string) => Float32Array).call(obj, text);
          };
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
      },
    });
    const queryEmbedder = index.queryEmbedder === target ? spy : index.queryEmbedder;
    return { index: { ...index, localEmbedder: spy, queryEmbedder }, embedded };
  }

  it('NFC-normalises the question before retrieval: "Cafe\\u0301" is searched as "Café"', async () => {
    const spied = spiedIndex(fixture.index);
    const extractive = createApp(appDeps(spied.index));
    const res = await extractive.request('/ask', askRequest({ question: 'Cafe\u0301 side project ideas?' }));
    expect(res.status).toBe(200);
    expect(spied.embedded[0]).toBe('Caf\u00e9 side project ideas?');
    expect(spied.embedded.join('\n')).not.toContain('e\u0301');
  });

  it('strips control characters and normalises before the question reaches the model', async () => {
    const res = await post(
      JSON.stringify({ question: '\u0007What side\u0000 project\u001b should I build as a Cafe\u0301 owner?\u0085 ' }),
    );
    expect(res.status).toBe(200);
    const prompt = answerPrompts()[0]!;
    expect(prompt).toContain('Question: What side project should I build as a Caf\u00e9 owner?');
    expect(prompt).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/);
  });

  it('cleans history turns too (control characters, NFC) before the condense call', async () => {
    openai.reset();
    openai.on<ChatCompletionRequestBody>('/chat/completions', ({ request, body }) =>
      modelReply(
        request,
        body,
        body.messages[0]!.content.startsWith('Rewrite')
          ? ['What side project should I build?']
          : ['Build a small side project [1].'],
      ),
    );
    const res = await post(
      JSON.stringify({
        question: 'and what about that?',
        history: [{ role: 'user', content: 'Cafe\u0301\u0000 side projects\u0007' }],
      }),
    );
    expect(res.status).toBe(200);
    const condense = openai.requestsTo<ChatCompletionRequestBody>('/chat/completions')[0]!;
    expect(userMessage(condense.body)).toContain('User: Caf\u00e9 side projects');
    expect(userMessage(condense.body)).not.toMatch(/[\u0000\u0007]/);
  });
});
