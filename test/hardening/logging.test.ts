import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { MemoryRateLimiter } from '../../src/server/rate-limiter.ts';
import { askRequest } from '../helpers/ask-request.ts';
import { useFixtureIndex } from '../helpers/build-fixture-index.ts';
import type { ChatCompletionRequestBody } from '../mocks/openai-chat.ts';
import { useOpenAITestServer } from '../mocks/openai-server.ts';
import { appDeps, llmAnswerDeps, memoryLogger, modelReply, parseSse, TEST_API_KEY, testConfig } from './support.ts';

/**
 * The access log: one structured JSON record per request with request id, route, status,
 * latency, answer mode and grounded flag (SSE included, logged when the stream ends), never
 * the API key, and the question only when LOG_QUESTIONS=true.
 */

const openai = useOpenAITestServer();
const fixture = useFixtureIndex();

const QUESTION = 'What side project should I build?';
const post = (stream: boolean, body: unknown = { question: QUESTION }): RequestInit => askRequest(body, stream);

function setup(logQuestions: boolean, mode: 'llm' | 'extractive' = 'llm') {
  const logger = memoryLogger();
  const app = createApp(
    appDeps(fixture.index, {
      logger,
      answer: mode === 'llm' ? llmAnswerDeps() : { mode: 'extractive' },
      rateLimiter: new MemoryRateLimiter(4),
      config: testConfig({ LOG_QUESTIONS: logQuestions }),
    }),
  );
  return { app, logger };
}

/** Records of the access log (the ones with a requestId). */
const accessRecords = (logger: ReturnType<typeof memoryLogger>) =>
  logger.records().filter((r) => typeof r.requestId === 'string');

async function settle(): Promise<void> {
  // SSE requests are logged when their stream ends, a tick after the body was read.
  await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('access log', () => {
  it('one JSON record per request with requestId, route, status, ms; /ask adds mode and grounded (JSON and SSE)', async () => {
    openai.on<ChatCompletionRequestBody>('/chat/completions', ({ request, body }) =>
      modelReply(request, body, ['Build a small ', 'side project [1].']),
    );
    const { app, logger } = setup(false);
    const json = await app.request('/ask', post(false));
    await json.text();
    const sse = await app.request('/ask', post(true));
    expect(parseSse(await sse.text()).at(-1)?.event).toBe('done');
    await (await app.request('/health')).text();
    await (await app.request('/ask', post(false, { nope: true }))).text();
    await settle();

    const records = accessRecords(logger);
    expect(records).toHaveLength(4);
    const ids = records.map((r) => r.requestId);
    expect(new Set(ids).size).toBe(4);
    expect(ids).toContain(json.headers.get('x-request-id'));
    expect(ids).toContain(sse.headers.get('x-request-id'));

    const byId = (id: string | null) => records.find((r) => r.requestId === id)!;
    expect(byId(json.headers.get('x-request-id'))).toMatchObject({
      route: '/ask',
      method: 'POST',
      status: 200,
      mode: 'llm',
      support: 'answered',
      grounded: true,
      ms: expect.any(Number),
    });
    expect(byId(sse.headers.get('x-request-id'))).toMatchObject({
      route: '/ask',
      status: 200,
      mode: 'llm',
      support: 'answered',
      grounded: true,
      ms: expect.any(Number),
    });
    expect(records.find((r) => r.route === '/health')).toMatchObject({
      level: 'debug',
      status: 200,
      ms: expect.any(Number),
    });
    expect(records.find((r) => r.status === 400)).toMatchObject({ route: '/ask', mode: 'llm' });
  });

  it('an SSE answer that fails mid-stream is logged with the error code once the stream ends', async () => {
    openai.on<ChatCompletionRequestBody>('/chat/completions', ({ request, body }) =>
      modelReply(
        request,
        body,
        ['Build a small ', 'side project [1]. ', ...Array.from({ length: 40 }, () => 'more ')],
        50,
      ),
    );
    const logger = memoryLogger();
    const app = createApp(
      appDeps(fixture.index, { logger, answer: llmAnswerDeps(), config: testConfig({ REQUEST_TIMEOUT_MS: 400 }) }),
    );
    const res = await app.request('/ask', post(true));
    expect(parseSse(await res.text()).at(-1)?.event).toBe('error');
    await settle();
    const record = accessRecords(logger)[0]!;
    expect(record).toMatchObject({ route: '/ask', status: 200, error: 'timeout' });
    expect(record.ms as number).toBeGreaterThanOrEqual(350);
  });

  it('the question is logged only with LOG_QUESTIONS=true', async () => {
    const marker = 'zebra-marker-question';
    for (const logQuestions of [false, true]) {
      const { app, logger } = setup(logQuestions, 'extractive');
      await (
        await app.request('/ask', post(false, { question: `What side project should I build, ${marker}?` }))
      ).text();
      await (
        await app.request('/ask', post(true, { question: `What side project should I build, ${marker}?` }))
      ).text();
      await (await app.request('/ask', post(false, { question: `${marker}`, k: 99 }))).text();
      await settle();
      const text = logger.lines.join('\n');
      if (logQuestions) {
        expect(accessRecords(logger).filter((r) => String(r.question ?? '').includes(marker))).toHaveLength(2);
      } else {
        expect(text).not.toContain(marker);
      }
    }
  });

  it('never logs the API key, even when the model server echoes it in an error', async () => {
    openai.on('/chat/completions', () =>
      Response.json(
        {
          error: {
            message: `Incorrect API key provided: ${TEST_API_KEY}. You can find your API key at https://example.test.`,
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        },
        { status: 401 },
      ),
    );
    const { app, logger } = setup(true);
    const json = await app.request('/ask', post(false));
    const jsonText = await json.text();
    const sse = await app.request('/ask', post(true));
    const sseText = await sse.text();
    await settle();
    expect(json.status).toBe(502);
    for (const text of [jsonText, sseText, ...logger.lines]) {
      expect(text).not.toContain(TEST_API_KEY);
      expect(text).not.toContain('SECRET');
      expect(text).not.toContain('Incorrect API key');
    }
    // The model server did get the key (so it was configured), just never our logs or clients.
    expect(openai.requestsTo('/chat/completions')[0]!.headers.get('authorization')).toBe(`Bearer ${TEST_API_KEY}`);
  });
});
