import { exports } from 'cloudflare:workers';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { AskResponse, Citation } from '../../src/rag/types.ts';
import { ask, citationProblems, newClient, parseSse } from './contract.ts';

/**
 * /mcp and /v1 inside workerd, through the whole Worker as wrangler.toml configures it
 * (extractive answers from the bundled index): the MCP SDK's own Client, and raw OpenAI-style
 * requests, get the answer and citations of POST /ask and of the Node pipeline.
 */

const QUESTION = 'How do I move from sales into product?';

/** The Worker as a fetch function, each request from its own client address. */
const workerFetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
  const request = new Request(url, init);
  request.headers.set('CF-Connecting-IP', newClient());
  return exports.default.fetch(request);
};

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function connect(): Promise<Client> {
  // Ajv (the SDK's default validator) generates code, which workerd forbids.
  const client = new Client(
    { name: 'workerd-test', version: '1.0.0' },
    { jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL('http://worker.test/mcp'), { fetch: workerFetch }));
  clients.push(client);
  return client;
}

async function askJson(question: string): Promise<AskResponse> {
  const res = await ask({ question });
  expect(res.status).toBe(200);
  return (await res.json()) as AskResponse;
}

const nodeAnswer = (question: string) =>
  inject('nodeReference').answers.find((a) => a.question === question && !a.history);

describe('MCP at /mcp in workerd', () => {
  it('ask_guide answers as POST /ask does, citations and all', async () => {
    const client = await connect();
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['ask_guide', 'search_guide']);
    const expected = await askJson(QUESTION);
    const result = await client.callTool({ name: 'ask_guide', arguments: { question: QUESTION } });
    const structured = result.structuredContent as unknown as AskResponse;
    expect(structured).toMatchObject({
      answer: expected.answer,
      citations: expected.citations,
      support: expected.support,
    });
    expect(citationProblems(structured)).toEqual([]);
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(text.startsWith(`${expected.answer}\n\n**Sources**\n1. [`)).toBe(true);
    expect(text).toContain(`(http://worker.test${expected.citations[0]!.url})`);
  });

  it('ask_guide gives the Node pipeline answer to an evaluation question', async () => {
    const reference = inject('nodeReference').answers.find((a) => !a.history && a.response.grounded)!;
    const result = await (await connect()).callTool({ name: 'ask_guide', arguments: { question: reference.question } });
    expect(result.structuredContent).toMatchObject({
      answer: reference.response.answer,
      citations: reference.response.citations,
    });
  });

  it('search_guide returns k passages with document, section, url, quote and score', async () => {
    const result = await (await connect()).callTool({ name: 'search_guide', arguments: { query: QUESTION, k: 2 } });
    const { passages } = result.structuredContent as { passages: Citation[] };
    expect(passages).toHaveLength(2);
    const sections = inject('nodeReference').sections;
    for (const p of passages) {
      expect(p).toMatchObject({
        document: expect.any(String),
        section: expect.any(String),
        url: `/source/${p.document}#${p.anchor}`,
        score: expect.any(Number),
      });
      expect(
        sections.some(
          (s) =>
            s.document === p.document &&
            s.anchor === p.anchor &&
            s.text.replace(/\s+/g, ' ').includes(p.quote.replace(/\s+/g, ' ')),
        ),
      ).toBe(true);
    }
  });

  it('serves each document as a Markdown resource', async () => {
    const client = await connect();
    const { resources } = await client.listResources();
    const documents = new Set(inject('nodeReference').sections.map((s) => s.document));
    expect(new Set(resources.map((r) => r.name))).toEqual(documents);
    const { contents } = await client.readResource({ uri: resources[0]!.uri });
    expect(contents[0]).toMatchObject({ mimeType: 'text/markdown', text: expect.stringContaining('#') });
  });
});

describe('OpenAI-compatible /v1 in workerd', () => {
  const complete = (body: Record<string, unknown>) =>
    workerFetch('http://worker.test/v1/chat/completions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'ask-the-guide', messages: [{ role: 'user', content: QUESTION }], ...body }),
    });

  it('answers with the /ask answer, its citations and support', async () => {
    const expected = nodeAnswer(QUESTION)?.response ?? (await askJson(QUESTION));
    const res = await complete({});
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      id: string;
      choices: Array<{ message: { content: string } }>;
      citations: Citation[];
      support: string;
    };
    expect(body.choices[0]!.message.content.startsWith(`${expected.answer}\n\n**Sources**\n`)).toBe(true);
    expect(body.citations).toEqual(expected.citations);
    expect(body.support).toBe(expected.support);
  });

  it('streams chunks, then [DONE]', async () => {
    const res = await complete({ stream: true });
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    expect(events.at(-1)!.data).toBe('[DONE]');
    const chunks = events
      .slice(0, -1)
      .map(
        (e) => JSON.parse(e.data) as { choices: Array<{ delta: { content?: string }; finish_reason: string | null }> },
      );
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    const whole = (await (await complete({})).json()) as { choices: Array<{ message: { content: string } }> };
    expect(chunks.map((c) => c.choices[0]!.delta.content ?? '').join('')).toBe(whole.choices[0]!.message.content);
  });

  it('refuses another model with 404 in OpenAI shape', async () => {
    const res = await complete({ model: 'gpt-4o' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'model_not_found' } });
  });
});
