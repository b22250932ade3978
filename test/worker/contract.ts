/**
 * Helpers for the tests inside workerd: requests through the whole Worker (as Cloudflare
 * would deliver them), SSE parsing, and the /ask contract's citation rules. Runtime-neutral:
 * nothing here may import Node code.
 */
import { exports } from 'cloudflare:workers';
import { expect, inject } from 'vitest';
import type { AskResponse, Citation } from '../../src/rag/types.ts';
import type { SourceSection } from './reference-types.ts';
import { numberingProblems } from '../helpers/citation-rules.ts';
import { askEventOrderProblems, askStreamParts, parseSse, type SseEvent } from '../helpers/sse.ts';

export { parseSse, type SseEvent };

let clients = 0;

/** A fresh client address, so tests never share a rate-limit counter by accident. */
export const newClient = (): string => {
  clients++;
  return `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
};

/** POST /ask through the Worker. */
export function ask(
  body: unknown,
  options: { stream?: boolean; client?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return exports.default.fetch(
    new Request('http://worker.test/ask', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'CF-Connecting-IP': options.client ?? newClient(),
        ...(options.stream ? { Accept: 'text/event-stream' } : {}),
        ...options.headers,
      },
      body: JSON.stringify(body),
    }),
  );
}

export const get = (path: string): Promise<Response> =>
  exports.default.fetch(new Request(`http://worker.test${path}`, { headers: { 'CF-Connecting-IP': newClient() } }));

/** POST /ask asking for Server-Sent Events: expects a 200 event stream and reads it (readAskStream). */
export async function askStream(body: unknown): Promise<ReturnType<typeof readAskStream>> {
  const res = await ask(body, { stream: true });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return readAskStream(await res.text());
}

/**
 * The SSE sequence the contract promises: `citations`, one or more `delta`, then `done`.
 * Returns the problems found (empty when the stream is right) and its parts.
 */
export function readAskStream(body: string): {
  problems: string[];
  citations: Citation[];
  text: string;
  done: AskResponse;
} {
  const events = parseSse(body);
  const { citations, deltas, done } = askStreamParts(events);
  return { problems: askEventOrderProblems(events), citations, text: deltas.join(''), done: done as AskResponse };
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * The contract's citation rules, checked against the sections' source text computed in Node:
 * ids run 1..n, every [n] resolves and every citation is used, section/anchor/url are the
 * source's, and each quote is a substring of its section (whitespace collapsed).
 */
export function citationProblems(
  response: AskResponse,
  sections: SourceSection[] = inject('nodeReference').sections,
): string[] {
  const problems = numberingProblems(response);
  for (const c of response.citations) {
    const section = sections.find((s) => s.document === c.document && s.anchor === c.anchor);
    if (!section) {
      problems.push(`citation ${c.id}: no section ${c.document}#${c.anchor}`);
      continue;
    }
    if (c.section !== section.heading)
      problems.push(`citation ${c.id}: section "${c.section}", source heading "${section.heading}"`);
    if (c.url !== `/source/${c.document}#${c.anchor}`) problems.push(`citation ${c.id}: url ${c.url}`);
    if (!c.quote.trim()) problems.push(`citation ${c.id}: empty quote`);
    else if (!collapse(section.text).includes(collapse(c.quote)))
      problems.push(`citation ${c.id}: quote is not in section "${c.section}"`);
  }
  return problems;
}
