import type { AskResponse, Citation } from '../../src/rag/types.ts';

/** One Server-Sent Event: its `event:` name and its joined `data:` lines. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Parse a complete Server-Sent Events body into events. Pure (no Node APIs), so the Node,
 * hardening and workerd suites share it.
 */
export function parseSse(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of body.replace(/\r\n/g, '\n').split('\n\n')) {
    if (!block.trim()) continue;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    events.push({ event, data: data.join('\n') });
  }
  return events;
}

/** The contract's /ask event order: `citations`, one or more `delta`, then `done`. Empty when right. */
export function askEventOrderProblems(events: readonly SseEvent[]): string[] {
  const names = events.map((e) => e.event).join(',');
  return /^citations(,delta)+,done$/.test(names) ? [] : [`events were ${names}`];
}

/** The parts of an /ask event stream: the citations, the delta texts, and the final response (if sent). */
export function askStreamParts(events: readonly SseEvent[]): {
  citations: Citation[];
  deltas: string[];
  done: AskResponse | undefined;
} {
  const data = (name: string) => events.find((e) => e.event === name)?.data;
  return {
    citations: JSON.parse(data('citations') ?? '[]') as Citation[],
    deltas: events.filter((e) => e.event === 'delta').map((e) => (JSON.parse(e.data) as { text: string }).text),
    done: JSON.parse(data('done') ?? 'null') ?? undefined,
  };
}
