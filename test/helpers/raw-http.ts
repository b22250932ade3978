import { connect } from 'node:net';

/**
 * HTTP/1.1 over a raw TCP socket, for what fetch cannot do: stream a body without
 * Content-Length, send half a request and the rest later.
 */

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parse a complete HTTP/1.1 response (Content-Length or chunked), working in bytes. */
function parseRawResponse(raw: string | Buffer): RawResponse {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const split = bytes.indexOf('\r\n\r\n');
  const head = bytes.subarray(0, split < 0 ? bytes.length : split).toString('latin1');
  let body = split < 0 ? Buffer.alloc(0) : bytes.subarray(split + 4);
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (headers['transfer-encoding']?.includes('chunked')) {
    const parts: Buffer[] = [];
    let rest = body;
    for (;;) {
      const eol = rest.indexOf('\r\n');
      if (eol < 0) break;
      const size = parseInt(rest.subarray(0, eol).toString('latin1'), 16);
      if (!size) break;
      parts.push(rest.subarray(eol + 2, eol + 2 + size));
      rest = rest.subarray(eol + 2 + size + 2);
    }
    body = Buffer.concat(parts);
  }
  return { status: Number(statusLine?.split(' ')[1] ?? 0), headers, body: body.toString('utf8') };
}

/**
 * Talk HTTP/1.1 over a raw TCP socket to 127.0.0.1 (msw and fetch stay out of it): `send`
 * writes the request however the test wants (chunked, slowly, partially), and the result is
 * whatever the server answered before closing. Write errors (the server hung up on an
 * oversized body) are tolerated: the response already received is what matters.
 */
export function rawExchange(
  port: number,
  send: (write: (chunk: string | Buffer) => Promise<void>) => Promise<void>,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let writable = true;
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      writable = false;
      if (!['EPIPE', 'ECONNRESET'].includes(error.code ?? '')) reject(error);
    });
    socket.on('close', () => resolve(parseRawResponse(Buffer.concat(chunks))));
    const write = (chunk: string | Buffer) =>
      new Promise<void>((done) => {
        if (!writable || socket.destroyed) return done();
        socket.write(chunk, () => done());
      });
    socket.on('connect', () => {
      send(write)
        .then(() => {
          if (!socket.destroyed) socket.end();
        })
        .catch(reject);
    });
  });
}

/**
 * POST a JSON body with `Transfer-Encoding: chunked` and no Content-Length, the way a
 * streaming client sends it: one chunk per piece, then the last-chunk marker.
 */
export function postChunked(port: number, path: string, pieces: Iterable<string | Buffer>): Promise<RawResponse> {
  return rawExchange(port, async (write) => {
    await write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
    );
    for (const piece of pieces) {
      const bytes = Buffer.from(piece);
      await write(Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]));
    }
    await write('0\r\n\r\n');
  });
}

/** `text` as UTF-8 bytes cut into pieces of `size` bytes (the last one shorter). */
export function bytePieces(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) pieces.push(bytes.subarray(offset, offset + size));
  return pieces;
}
