import type { ComposedAnswer } from './types.ts';

/**
 * A small LRU of finished extractive answers. Questions repeat (starter questions, the same
 * question from many people), and an extractive answer depends only on the index generation
 * and the request, so a repeat costs a map lookup instead of retrieval and sentence scoring.
 */
export class AnswerCache {
  private readonly entries = new Map<string, ComposedAnswer>();

  constructor(private readonly capacity: number) {}

  get(key: string): ComposedAnswer | undefined {
    const value = this.entries.get(key);
    if (value) {
      // Re-insert: Map keeps insertion order, so the oldest entry is always first.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: ComposedAnswer): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
