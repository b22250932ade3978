import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AskResponse, Citation } from '../../src/rag/types.ts';
import { createApp } from '../../src/server/app.ts';
import { MemoryRateLimiter } from '../../src/server/rate-limiter.ts';
import { BODY_LIMIT_BYTES } from '../../src/http-contract.ts';
import { testConfig } from '../helpers/app-deps.ts';
import { askRequest } from '../helpers/ask-request.ts';
import { guideFixtureDir, useFixtureIndex } from '../helpers/build-fixture-index.ts';
import { appDeps, startServer, useNoNetwork, type RunningServer } from './harness.ts';

/**
 * /mcp with the MCP SDK's own Client over Streamable HTTP on loopback, against the real app
 * and a real fixture index (extractive answers).
 */

useNoNetwork();
const fixture = useFixtureIndex();
const QUESTION = 'How do I move from sales into product?';
const KEY = 'mcp-test-key-42';

let open: RunningServer;
let keyed: RunningServer;
beforeAll(async () => {
  open = await startServer(createApp(appDeps(fixture.index)));
  keyed = await startServer(createApp(appDeps(fixture.index, { config: testConfig({ API_KEYS: [KEY] }) })));
});
afterAll(async () => {
  await open?.close();
  await keyed?.close();
});

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/**
 * fetch with each response read whole before the client sees it. Under msw (even passing a
 * request through) `response.body.cancel()` never settles, and the SDK cancels the empty body
 * of a 202; this server answers JSON, never a long-lived stream, so reading it first is safe.
 */
const bufferedFetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
  const response = await fetch(url, init);
  return new Response(response.body ? await response.arrayBuffer() : null, response);
};

async function connect(server: RunningServer, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers }, fetch: bufferedFetch }),
  );
  clients.push(client);
  return client;
}

async function askJson(body: unknown): Promise<AskResponse> {
  const res = await fetch(`${open.url}/ask`, askRequest(body));
  expect(res.status).toBe(200);
  return (await res.json()) as AskResponse;
}

const textOf = (result: object) =>
  ((result as { content: unknown }).content as Array<{ type: string; text: string }>).map((c) => c.text).join('');

describe('tools', () => {
  it('lists ask_guide and search_guide with input and output schemas', async () => {
    const { tools } = await (await connect(open)).listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['ask_guide', 'search_guide']);
    const ask = tools.find((t) => t.name === 'ask_guide')!;
    expect(ask.inputSchema.required).toEqual(['question']);
    expect(Object.keys(ask.inputSchema.properties ?? {}).sort()).toEqual(['history', 'question']);
    expect(Object.keys(ask.outputSchema?.properties ?? {})).toEqual(
      expect.arrayContaining(['answer', 'citations', 'support', 'id']),
    );
    const search = tools.find((t) => t.name === 'search_guide')!;
    expect(Object.keys(search.inputSchema.properties ?? {}).sort()).toEqual(['k', 'query']);
  });

  it('ask_guide gives the /ask answer as text (with a Sources list), its citations as structured content', async () => {
    const expected = await askJson({ question: QUESTION });
    const result = await (await connect(open)).callTool({ name: 'ask_guide', arguments: { question: QUESTION } });
    expect(result.isError).toBeFalsy();
    const sources = expected.citations.map((c) => `${c.id}. [${c.section}](${open.url}${c.url})`).join('\n');
    expect(textOf(result)).toBe(`${expected.answer}\n\n**Sources**\n${sources}`);
    const structured = result.structuredContent as unknown as AskResponse;
    expect(structured).toMatchObject({
      answer: expected.answer,
      citations: expected.citations,
      support: 'answered',
      grounded: true,
      mode: 'extractive',
    });
    expect(structured.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('ask_guide follows up on a history as /ask does', async () => {
    const history = [
      { role: 'user' as const, content: QUESTION },
      { role: 'assistant' as const, content: (await askJson({ question: QUESTION })).answer },
    ];
    const expected = await askJson({ question: 'What skills carry over?', history });
    const result = await (await connect(open)).callTool({
      name: 'ask_guide',
      arguments: { question: 'What skills carry over?', history },
    });
    expect(result.structuredContent).toMatchObject({ answer: expected.answer, citations: expected.citations });
  });

  it('ask_guide says plainly when the guide does not cover a question', async () => {
    const result = await (await connect(open)).callTool({
      name: 'ask_guide',
      arguments: { question: 'How long should I bake sourdough bread?' },
    });
    expect(result.structuredContent).toMatchObject({ support: 'none', citations: [], grounded: false });
    expect(textOf(result)).not.toContain('**Sources**');
  });

  it('ask_guide refuses what /ask refuses (an empty question)', async () => {
    const client = await connect(open);
    const outcome = await client.callTool({ name: 'ask_guide', arguments: { question: '   ' } }).then(
      (result) => textOf(result),
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/question must not be empty/);
  });

  it('search_guide gives k passages, each with document, section, url, quote and score', async () => {
    const result = await (await connect(open)).callTool({
      name: 'search_guide',
      arguments: { query: 'sales skills for product managers', k: 3 },
    });
    const { passages } = result.structuredContent as { passages: Citation[] };
    expect(passages).toHaveLength(3);
    const sections = new Set(fixtureChunks().map((c) => `${c.document}#${c.anchor}`));
    for (const p of passages) {
      expect(p).toMatchObject({
        document: expect.any(String),
        section: expect.any(String),
        quote: expect.any(String),
        score: expect.any(Number),
      });
      expect(p.url).toBe(`/source/${p.document}#${p.anchor}`);
      expect(sections.has(`${p.document}#${p.anchor}`)).toBe(true);
      // The quote is a whole passage of the index.
      expect(fixtureChunks().some((c) => c.text === p.quote)).toBe(true);
    }
    expect(passages.map((p) => p.score)).toEqual([...passages.map((p) => p.score)].sort((a, b) => b - a));
    expect(textOf(result)).toContain(`${open.url}${passages[0]!.url}`);
  });
});

describe('resources', () => {
  it('lists each document and reads it as its Markdown', async () => {
    const client = await connect(open);
    const { resources } = await client.listResources();
    const ids = [...fixture.index.documents.keys()].sort();
    expect(resources.map((r) => r.name).sort()).toEqual(ids);
    for (const resource of resources) {
      expect(resource).toMatchObject({
        uri: `guide://documents/${resource.name}`,
        mimeType: 'text/markdown',
        title: expect.any(String),
      });
      const { contents } = await client.readResource({ uri: resource.uri });
      const file = readFileSync(join(guideFixtureDir, `${resource.name}.md`), 'utf8').replace(
        /^---\n[\s\S]*?\n---\n/,
        '',
      );
      expect(contents).toEqual([{ uri: resource.uri, mimeType: 'text/markdown', text: expect.any(String) }]);
      expect((contents[0] as { text: string }).text.trim()).toBe(file.trim());
    }
  });

  it('refuses an unknown document', async () => {
    await expect((await connect(open)).readResource({ uri: 'guide://documents/nope' })).rejects.toThrow(
      /No document "nope"/,
    );
  });
});

describe('HTTP', () => {
  const post = (server: RunningServer, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
      body,
    });

  it('is stateless: GET and DELETE are 405, and a tools/call needs no session', async () => {
    expect((await fetch(`${open.url}/mcp`)).status).toBe(405);
    expect((await fetch(`${open.url}/mcp`, { method: 'DELETE' })).status).toBe(405);
    const res = await post(
      open,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'ask_guide', arguments: { question: QUESTION } },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('mcp-session-id')).toBeNull();
    expect(await res.json()).toMatchObject({
      jsonrpc: '2.0',
      id: 1,
      result: { structuredContent: { support: 'answered' } },
    });
  });

  it('413 for a body over the limit, with a JSON-RPC error', async () => {
    const res = await post(
      open,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'ask_guide', arguments: { question: 'x'.repeat(BODY_LIMIT_BYTES) } },
      }),
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      jsonrpc: '2.0',
      error: { code: expect.any(Number), data: { code: 'payload_too_large' } },
      id: null,
    });
  });

  it('429 with Retry-After once the address has used its requests', async () => {
    const server = await startServer(createApp(appDeps(fixture.index, { rateLimiter: new MemoryRateLimiter(1) })));
    try {
      const ping = () => post(server, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }));
      expect((await ping()).status).toBe(200);
      const limited = await ping();
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await limited.json()).toMatchObject({ error: { data: { code: 'rate_limited' } } });
    } finally {
      await server.close();
    }
  });
});

describe('API_KEYS', () => {
  it('the SDK client without a key gets a 401 with a Bearer challenge; with the key it works', async () => {
    const refused = await connect(keyed).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StreamableHTTPError);
    expect((refused as StreamableHTTPError).code).toBe(401);
    const res = await fetch(`${keyed.url}/mcp`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer wrong' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', error: { data: { code: 'unauthorized' } }, id: null });

    const client = await connect(keyed, { Authorization: `Bearer ${KEY}` });
    const result = await client.callTool({ name: 'ask_guide', arguments: { question: QUESTION } });
    expect(result.structuredContent).toMatchObject({ support: 'answered' });
  });
});

function fixtureChunks() {
  return fixture.index.chunks;
}
