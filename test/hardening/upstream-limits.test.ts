import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AskResponse } from '../../src/rag/types.ts';
import { createApp } from '../../src/server/app.ts';
import { askRequest } from '../helpers/ask-request.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';
import type { ChatCompletionRequestBody } from '../mocks/openai-chat.ts';
import { useOpenAITestServer } from '../mocks/openai-server.ts';
import {
  abortedPromise,
  allowLoopback,
  appDeps,
  errorShapeProblems,
  llmAnswerDeps,
  modelReply,
  parseSse,
  serveOnLoopback,
  sleep,
  testConfig,
  until,
  type Loopback,
} from './support.ts';

/**
 * The model server is the expensive, slow part: at most MAX_CONCURRENT_UPSTREAM calls run at
 * once, REQUEST_TIMEOUT_MS aborts the upstream call itself (msw sees its request aborted), and
 * a client that hangs up mid-stream aborts it too, handing the slot back.
 */

const openai = useOpenAITestServer();
const fixture = useFixtureIndex();

const QUESTION = 'What side project should I build?';

function llmApp(options: { slots?: number; timeoutMs?: number } = {}) {
  return createApp(
    appDeps(fixture.index, {
      answer: llmAnswerDeps({ slots: options.slots }),
      config: testConfig({ REQUEST_TIMEOUT_MS: options.timeoutMs ?? 10_000 }),
    }),
  );
}

/** A model request msw received, and whether it was aborted. */
interface Upstream {
  aborted: Promise<true>;
  isAborted(): boolean;
}

describe('MAX_CONCURRENT_UPSTREAM', () => {
  it('with a cap of 2 and a slow model, at most 2 upstream requests run at once, and all complete', async () => {
    let active = 0;
    let peak = 0;
    openai.on<ChatCompletionRequestBody>('/chat/completions', ({ request, body }) => {
      active++;
      peak = Math.max(peak, active);
      const isCondense = body.messages[0]!.content.startsWith('Rewrite');
      const response = modelReply(
        request,
        body,
        isCondense ? [QUESTION] : ['Build a ', 'small side ', 'project [1].'],
        60,
      );
      // The upstream request is over when its body has been read to the end.
      const [forClient, forCount] = response.body!.tee();
      void forCount
        .pipeTo(new WritableStream())
        .catch(() => undefined)
        .finally(() => active--);
      return new Response(forClient, { headers: response.headers });
    });
    const app = llmApp({ slots: 2 });
    const requests = Array.from({ length: 8 }, (_, i) =>
      app.request(
        '/ask',
        askRequest(
          i % 3 === 0
            ? { question: 'and what about that?', history: [{ role: 'user', content: 'side projects' }] }
            : { question: QUESTION },
          i % 2 === 1,
        ),
      ),
    );
    // Bodies are read as they come, as a browser would: an unread SSE stream holds its slot.
    const responses = await Promise.all(
      requests.map(async (p) => {
        const res = await p;
        return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
      }),
    );
    for (const res of responses) {
      expect(res.status, res.text).toBe(200);
      if (res.type.startsWith('text/event-stream')) expect(parseSse(res.text).at(-1)?.event).toBe('done');
    }
    // 8 answers plus 3 condense calls went upstream, never more than 2 at a time.
    expect(openai.requestsTo('/chat/completions')).toHaveLength(11);
    expect(peak).toBe(2);
  });

  it('a request that times out while waiting for a slot never reaches the model', async () => {
    const seen: Upstream[] = [];
    openai.on<ChatCompletionRequestBody>('/chat/completions', async ({ request }) => {
      seen.push({ aborted: abortedPromise(request.signal), isAborted: () => request.signal.aborted });
      await abortedPromise(request.signal);
      return new Response(null, { status: 499 });
    });
    // Two apps sharing one upstream slot: a patient one holds it, an impatient one waits.
    const answer = llmAnswerDeps({ slots: 1 });
    const patient = createApp(appDeps(fixture.index, { answer, config: testConfig({ REQUEST_TIMEOUT_MS: 10_000 }) }));
    const impatient = createApp(appDeps(fixture.index, { answer, config: testConfig({ REQUEST_TIMEOUT_MS: 300 }) }));
    const holder = new AbortController();
    const first = patient.request('/ask', { ...askRequest({ question: QUESTION }), signal: holder.signal });
    for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(10);
    expect(seen).toHaveLength(1);
    const second = await impatient.request('/ask', askRequest({ question: QUESTION }));
    expect(second.status).toBe(504);
    expect(errorShapeProblems(504, await second.text())).toEqual([]);
    expect(seen).toHaveLength(1);
    // The holder's client goes away: its upstream request is aborted too.
    holder.abort();
    await Promise.resolve(first).catch(() => undefined);
    expect(await Promise.race([seen[0]!.aborted, sleep(3000).then(() => false)])).toBe(true);
  });
});

describe('REQUEST_TIMEOUT_MS', () => {
  it.each([false, true])('answers 504 and aborts the upstream request (stream: %s)', async (stream) => {
    const seen: Upstream[] = [];
    openai.on<ChatCompletionRequestBody>('/chat/completions', async ({ request }) => {
      seen.push({ aborted: abortedPromise(request.signal), isAborted: () => request.signal.aborted });
      await Promise.race([abortedPromise(request.signal), sleep(8000)]);
      return new Response(null, { status: 499 });
    });
    const started = performance.now();
    const res = await llmApp({ timeoutMs: 300 }).request('/ask', askRequest({ question: QUESTION }, stream));
    expect(res.status).toBe(504);
    expect(errorShapeProblems(504, await res.text())).toEqual([]);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.isAborted()).toBe(true);
  });

  it('a model that stalls after the first words: event: error timeout, and the upstream request is aborted', async () => {
    const seen: Upstream[] = [];
    openai.on<ChatCompletionRequestBody>('/chat/completions', ({ request, body }) => {
      seen.push({ aborted: abortedPromise(request.signal), isAborted: () => request.signal.aborted });
      // Two pieces, then a 5 s silence (cut short by the abort).
      return modelReply(
        request,
        body,
        ['Build a small ', 'side project [1]. ', ...Array.from({ length: 50 }, () => 'more ')],
        100,
      );
    });
    const res = await llmApp({ timeoutMs: 600 }).request('/ask', askRequest({ question: QUESTION }, true));
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.some((e) => e.event === 'delta')).toBe(true);
    expect(events.at(-1)?.event).toBe('error');
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ error: { code: 'timeout' } });
    expect(seen[0]!.isAborted()).toBe(true);
  });
});

describe('a client that disconnects', () => {
  let server: Loopback | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Send /ask over a raw socket; the test decides when to hang up. */
  function openAsk(port: number, stream: boolean) {
    const socket = connect(port, '127.0.0.1');
    const body = JSON.stringify({ question: QUESTION });
    let received = '';
    socket.on('error', () => undefined);
    socket.on('data', (d) => (received += d.toString('utf8')));
    socket.on('connect', () =>
      socket.write(
        `POST /ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${stream ? 'Accept: text/event-stream\r\n' : ''}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      ),
    );
    return {
      received: () => received,
      hangUp: () => socket.destroy(),
    };
  }

  it('hanging up after the first SSE delta aborts the upstream request and frees its slot', async () => {
    const seen: Upstream[] = [];
    openai.on<ChatCompletionRequestBody>('/chat/completions', ({ request, body }) => {
      seen.push({ aborted: abortedPromise(request.signal), isAborted: () => request.signal.aborted });
      // A long, slow answer: 60 pieces, 100 ms apart.
      return modelReply(
        request,
        body,
        ['Build a small side project [1]. ', ...Array.from({ length: 60 }, (_, i) => `word${i} `)],
        100,
      );
    });
    server = await serveOnLoopback(llmApp({ slots: 1, timeoutMs: 20_000 }));
    const client = openAsk(server.port, true);
    await until(() => client.received().includes('event: delta'));
    client.hangUp();
    expect(client.received()).toContain('event: citations');
    const aborted = await Promise.race([seen[0]!.aborted, sleep(3000).then(() => false)]);
    expect(aborted, 'the model request was not aborted after the client left').toBe(true);

    // The only upstream slot is free again: the next request is answered at once.
    openai.reset();
    allowLoopback(openai);
    openai.on<ChatCompletionRequestBody>('/chat/completions', ({ request, body }) =>
      modelReply(request, body, ['Build a small side project [1].']),
    );
    const next = await fetch(`${server.url}/ask`, {
      ...askRequest({ question: QUESTION }),
      signal: AbortSignal.timeout(5000),
    });
    expect(next.status).toBe(200);
    expect(((await next.json()) as AskResponse).grounded).toBe(true);
  });

  it('hanging up before a JSON answer is ready aborts the upstream request', async () => {
    const seen: Upstream[] = [];
    openai.on<ChatCompletionRequestBody>('/chat/completions', async ({ request, body }) => {
      seen.push({ aborted: abortedPromise(request.signal), isAborted: () => request.signal.aborted });
      return modelReply(
        request,
        body,
        Array.from({ length: 60 }, (_, i) => `word${i} `),
        100,
      );
    });
    server = await serveOnLoopback(llmApp({ slots: 1, timeoutMs: 20_000 }));
    const client = openAsk(server.port, false);
    await until(() => seen.length === 1);
    await sleep(150);
    expect(client.received()).toBe('');
    client.hangUp();
    const aborted = await Promise.race([seen[0]!.aborted, sleep(3000).then(() => false)]);
    expect(aborted, 'the model request was not aborted after the client left').toBe(true);
  });
});
