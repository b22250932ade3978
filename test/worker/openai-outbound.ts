/**
 * Runs in Node (vitest.worker.config.ts): the Worker's outbound fetch inside workerd goes to
 * `outbound`, which plays the OpenAI chat-completions API and refuses everything else, so no
 * test can reach the network. `control` is a service binding the tests use to script the
 * next replies and read the requests the model server saw.
 */

export const OPENAI_WORKER_BASE_URL = 'https://api.openai.test/v1';
export const OPENAI_WORKER_API_KEY = 'sk-worker-test';

export interface SeenRequest {
  url: string;
  authorization: string | null;
  body: { model?: string; stream?: boolean; messages?: Array<{ role: string; content: string }> };
}

/** What the fake model does next: answer with `content`, or fail with an HTTP status. */
export type Reply = { content: string } | { status: number; message: string };

const seen: SeenRequest[] = [];
let replies: Reply[] = [];
const DEFAULT_REPLY: Reply = {
  content: 'Sales experience helps you understand customers [1]. Moving into product means thinking long term [2].',
};

export async function outbound(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (request.method !== 'POST' || url.origin + url.pathname !== `${OPENAI_WORKER_BASE_URL}/chat/completions`) {
    return new Response(`unexpected outbound request: ${request.method} ${request.url}`, { status: 599 });
  }
  const body = (await request.json()) as SeenRequest['body'];
  seen.push({ url: request.url, authorization: request.headers.get('authorization'), body });
  const reply = replies.shift() ?? DEFAULT_REPLY;
  if ('status' in reply) {
    return Response.json({ error: { message: reply.message, type: 'server_error' } }, { status: reply.status });
  }
  return body.stream ? streamed(body.model ?? 'model', reply.content) : completed(body.model ?? 'model', reply.content);
}

/** GET /requests: what the model server saw (and forget it); POST /replies: script the next replies. */
export async function control(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === '/requests') return Response.json(seen.splice(0));
  if (url.pathname === '/replies') {
    replies = (await request.json()) as Reply[];
    return new Response(null, { status: 204 });
  }
  return new Response('not found', { status: 404 });
}

function completed(model: string, content: string): Response {
  return Response.json({
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  });
}

/** The answer in a few pieces, as the API streams it: SSE `data:` lines, then `[DONE]`. */
function streamed(model: string, content: string): Response {
  const base = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1_700_000_000, model };
  const pieces = content.match(/.{1,12}/gs) ?? [content];
  const events = [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
    ...pieces.map((piece) => ({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  ];
  const text = `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('')}data: [DONE]\n\n`;
  return new Response(text, { headers: { 'Content-Type': 'text/event-stream' } });
}
