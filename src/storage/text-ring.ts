/**
 * A ring of text lines in a SharedArrayBuffer, for one writing thread and one reading thread:
 * the server's thread pushes each recorded question as a line, the database thread takes
 * whatever has come since its last take. A push is a UTF-8 copy into shared memory: no message,
 * no object kept alive on the writer's heap until a batch goes, no clone of a batch (each of
 * which the writer, answering requests, would pay for).
 *
 * The buffer starts with two Int32 positions, where the writer will write next and where the
 * reader will read next; the rest holds bytes, wrapping round. Each side only ever moves its own
 * position, with Atomics, after the bytes it covers are written or read, so a reader never sees
 * half a line. One byte stays free, so that equal positions mean empty.
 */
const WRITE_AT = 0;
const READ_AT = 1;
const HEADER_BYTES = 8;
const NEWLINE = 0x0a;

/** A shared buffer for a TextRing that holds up to `bytes` bytes of lines. */
export function createTextRingBuffer(bytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + bytes + 1);
}

export class TextRing {
  private readonly positions: Int32Array;
  private readonly bytes: Uint8Array;
  /** The same bytes as a Buffer, whose write() encodes in place (no view, no result object). */
  private readonly text: Buffer;
  /** Where a line that must wrap round the end is encoded first. */
  private scratch = Buffer.alloc(1024);
  /** Reader: where takeBytes copies lines out. */
  private taken = new Uint8Array(0);

  constructor(buffer: SharedArrayBuffer) {
    this.positions = new Int32Array(buffer, 0, 2);
    this.bytes = new Uint8Array(buffer, HEADER_BYTES);
    this.text = Buffer.from(buffer, HEADER_BYTES);
  }

  /**
   * Writer: append `line` (which must not contain a newline: lines are split at newlines).
   * False, and nothing written, when it does not fit: the reader is behind.
   */
  push(line: string): boolean {
    const capacity = this.bytes.length;
    const writeAt = Atomics.load(this.positions, WRITE_AT);
    const readAt = Atomics.load(this.positions, READ_AT);
    const free = (readAt - writeAt - 1 + capacity) % capacity;
    // UTF-8 takes at most 3 bytes per UTF-16 unit; one more for the newline.
    const most = line.length * 3 + 1;
    let length: number;
    if (most <= Math.min(free, capacity - writeAt)) {
      // The common case: room without wrapping, so the line is encoded in place, once.
      const written = this.text.write(line, writeAt, most, 'utf8');
      this.bytes[writeAt + written] = NEWLINE;
      length = written + 1;
    } else {
      if (this.scratch.length < most) this.scratch = Buffer.alloc(most * 2);
      const written = this.scratch.write(line, 'utf8');
      this.scratch[written] = NEWLINE;
      length = written + 1;
      if (length > free) return false;
      const untilEnd = Math.min(length, capacity - writeAt);
      this.bytes.set(this.scratch.subarray(0, untilEnd), writeAt);
      if (untilEnd < length) this.bytes.set(this.scratch.subarray(untilEnd, length), 0);
    }
    Atomics.store(this.positions, WRITE_AT, (writeAt + length) % capacity);
    return true;
  }

  /**
   * Reader: every line pushed since the last take, in order, each ending in a newline, as UTF-8
   * bytes copied out of shared memory; null when nothing was pushed. The database thread stages
   * them as they are, with no decoding. The bytes are the reader's own buffer, valid until its
   * next take: a fresh allocation of a drain's size costs more than the copy (it is mapped and
   * zeroed page by page).
   */
  takeBytes(): Uint8Array | null {
    const writeAt = Atomics.load(this.positions, WRITE_AT);
    const readAt = Atomics.load(this.positions, READ_AT);
    if (writeAt === readAt) return null;
    const capacity = this.bytes.length;
    const length = (writeAt - readAt + capacity) % capacity;
    if (this.taken.length < length)
      this.taken = new Uint8Array(Math.min(capacity, Math.max(length, this.taken.length * 2)));
    const taken = this.taken.subarray(0, length);
    if (readAt < writeAt) taken.set(this.bytes.subarray(readAt, writeAt));
    else {
      taken.set(this.bytes.subarray(readAt));
      taken.set(this.bytes.subarray(0, writeAt), capacity - readAt);
    }
    Atomics.store(this.positions, READ_AT, writeAt);
    return taken;
  }
}

/** How many lines `bytes` (as takeBytes gives them) holds. */
export function countLines(bytes: Uint8Array): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}
