import { describe, expect, it } from 'vitest';
import { newAnswerId } from '../../src/rag/answer-id.ts';

describe('answer ids', () => {
  it('are UUIDs of version 7 carrying the time, in the RFC 9562 variant', () => {
    const id = newAnswerId(Date.UTC(2026, 11, 6, 9, 30));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 11, 6, 9, 30));
  });

  it('sort by the millisecond they were made in, and never repeat, ten to a millisecond', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => newAnswerId(1_800_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 10; i < ids.length; i++) expect(ids[i]! > ids[i - 10]!).toBe(true);
  });
});
