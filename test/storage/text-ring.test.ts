import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createTextRingBuffer, TextRing } from '../../src/storage/text-ring.ts';

const decoder = new TextDecoder();
/** What the ring gives its reader, as text. */
const take = (ring: TextRing) => decoder.decode(ring.takeBytes() ?? new Uint8Array());

describe('TextRing', () => {
  it('gives back the lines pushed since the last take, in order, once', () => {
    const ring = new TextRing(createTextRingBuffer(64));
    expect(take(ring)).toBe('');
    expect(ring.push('one')).toBe(true);
    expect(ring.push('two')).toBe(true);
    expect(take(ring)).toBe('one\ntwo\n');
    expect(take(ring)).toBe('');
  });

  it('wraps round the end of its buffer, a multi-byte character split across it included', () => {
    const ring = new TextRing(createTextRingBuffer(16));
    const seen: string[] = [];
    // 11 bytes per line in a 16-byte ring: every other push straddles the end, at shifting offsets.
    for (const line of ['pilot 🛩️', 'pilot é1', 'pilot é2', 'naïve 🛩️', 'pilot é3']) {
      expect(ring.push(line)).toBe(true);
      seen.push(take(ring));
    }
    expect(seen).toEqual(['pilot 🛩️\n', 'pilot é1\n', 'pilot é2\n', 'naïve 🛩️\n', 'pilot é3\n']);
  });

  it('keeps every line intact whether it is written in place or across the end', () => {
    // Room for a line's worst case (3 bytes per unit) is mostly there, so most lines are written
    // in place; near the end, or when the ring is nearly full, they go through the wrap.
    const ring = new TextRing(createTextRingBuffer(300));
    const pushed: string[] = [];
    let taken = '';
    for (let i = 0; i < 400; i++) {
      const line = `${i} ${[...'é🛩️ naïve "q" \\'].slice(0, i % 14).join('')}`;
      if (!ring.push(line)) {
        taken += take(ring);
        expect(ring.push(line)).toBe(true);
      }
      pushed.push(line);
      if (i % 7 === 0) taken += take(ring);
    }
    taken += take(ring);
    expect(taken).toBe(pushed.map((line) => `${line}\n`).join(''));
  });

  it('refuses a line that does not fit, writing nothing, and takes lines again once read', () => {
    // 10 bytes: room for "1234\n" and "123\n", not for "x\n" as well.
    const ring = new TextRing(createTextRingBuffer(10));
    expect(ring.push('1234')).toBe(true);
    expect(ring.push('123')).toBe(true);
    expect(ring.push('x')).toBe(false);
    expect(take(ring)).toBe('1234\n123\n');
    expect(ring.push('0123456789')).toBe(false);
    expect(ring.push('012345678')).toBe(true);
    expect(take(ring)).toBe('012345678\n');
  });

  it('hands lines from one thread to another through shared memory', async () => {
    const buffer = createTextRingBuffer(1024);
    const ring = new TextRing(buffer);
    // The real class on the reading side: a thread that takes until it has 500 lines.
    const reader = new Worker(
      `
      const { parentPort, workerData } = require('node:worker_threads');
      import('tsx/esm/api').then(({ tsImport }) => tsImport(workerData.module, workerData.module)).then(({ TextRing }) => {
        const ring = new TextRing(workerData.buffer);
        let text = '';
        const decoder = new TextDecoder();
        while (text.split('\\n').length <= 500) text += decoder.decode(ring.takeBytes() ?? new Uint8Array());
        parentPort.postMessage(text);
      });
      `,
      {
        eval: true,
        workerData: { buffer, module: new URL('../../src/storage/text-ring.ts', import.meta.url).href },
      },
    );
    const received = new Promise<string>((resolve) => reader.once('message', resolve));
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}`);
    for (const line of lines) while (!ring.push(line)) await new Promise((resolve) => setImmediate(resolve));
    expect(await received).toBe(lines.map((line) => `${line}\n`).join(''));
    await reader.terminate();
  });
});
