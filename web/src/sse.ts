import type { SseMessage } from './types.ts';

/**
 * Parse a Server-Sent Events byte stream (the body of a `fetch` response) into messages.
 * `EventSource` cannot POST, so /ask is read this way. Follows the WHATWG event-stream rules
 * that matter here: CR, LF or CRLF line ends (even split across chunks), `event:` / `data:` /
 * `id:` fields, several `data:` lines joined by "\n", comments (`:`) ignored, a message
 * dispatched on a blank line, and a last message without its blank line dropped.
 *
 * @example
 * for await (const { event, data } of parseSse(response.body!)) console.log(event, JSON.parse(data));
 */
export async function* parseSse(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  let finished = false;
  const onAbort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const end = lineEnd(buffer, done);
        if (!end) break;
        const line = buffer.slice(0, end.at);
        buffer = buffer.slice(end.at + end.length);
        if (line === '') {
          if (data.length)
            yield { event: event || 'message', data: data.join('\n'), ...(id !== undefined ? { id } : {}) };
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        let value = colon === -1 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\0')) id = value;
      }
      if (done) {
        finished = true;
        return;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // A consumer that stops early (or an error) must not leave the connection open.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** The first line break in `buffer`; a lone trailing CR waits for the next chunk (it may be CRLF). */
function lineEnd(buffer: string, final: boolean): { at: number; length: number } | null {
  const match = /\r\n|\r|\n/.exec(buffer);
  if (!match) return null;
  if (match[0] === '\r' && match.index === buffer.length - 1 && !final) return null;
  return { at: match.index, length: match[0].length };
}
