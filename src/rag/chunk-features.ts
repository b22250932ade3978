import { embeddingText } from '../corpus/embedding-text.ts';
import type { Chunk } from '../corpus/types.ts';
import type { LocalEmbeddings } from '../embeddings/local-embeddings.ts';
import { BoundedMap, memoised } from '../memo.ts';
import { contentTerms } from '../text/analyze.ts';

/**
 * What retrieval derives from a passage of one loaded index: its stems (with its heading
 * path), its pairs of adjacent stems, its text as duplicates are compared, and its vector in
 * the local embedder's space.
 * Worked out the first time a question reaches the passage and kept with the index, so a
 * corpus of many thousand passages pays only for those questions reach, and a hot swap drops
 * them with their generation.
 */
export class ChunkFeatures {
  private readonly stemSets = new Map<Chunk, ReadonlySet<string>>();
  private readonly duplicateKeys = new Map<Chunk, string>();
  private readonly localVectors = new Map<Chunk, Float32Array>();
  /** Bounded: a pair set is larger than a passage's stems, and a big corpus has many passages. */
  private readonly pairSets = new BoundedMap<Chunk, ReadonlySet<number>>(MAX_CACHED_PAIR_SETS);

  constructor(private readonly embedder: LocalEmbeddings) {}

  /** Stems of a passage and its heading path. */
  stems(chunk: Chunk): ReadonlySet<string> {
    return memoised(this.stemSets, chunk, () => new Set(contentTerms(`${chunk.headingPath.join(' ')} ${chunk.text}`)));
  }

  /**
   * Pairs of adjacent content stems of a passage, as stemPairKey numbers (stop words skipped:
   * "marketer at an agency" has market+agenc).
   */
  stemPairs(chunk: Chunk): ReadonlySet<number> {
    return memoised(this.pairSets, chunk, () => {
      const stems = contentTerms(chunk.text);
      const pairs = new Set<number>();
      for (let i = 1; i < stems.length; i++) pairs.add(stemPairKey(stems[i - 1]!, stems[i]!));
      return pairs;
    });
  }

  /** A passage's text with whitespace collapsed: the same text twice is one passage. */
  duplicateKey(chunk: Chunk): string {
    return memoised(this.duplicateKeys, chunk, () => chunk.text.replace(/\s+/g, ' ').trim());
  }

  /** A passage's vector in the local embedder's space (whatever embedded the index's own vectors). */
  localVector(chunk: Chunk): Float32Array {
    return memoised(this.localVectors, chunk, () => this.embedder.embedPassage(embeddingText(chunk)));
  }
}

/** Passages whose stem pairs are kept at once: a bound on what a large corpus's pairs may hold. */
const MAX_CACHED_PAIR_SETS = 20_000;

/**
 * Two stems as one 32-bit number (FNV-1a over "a b"): a set of numbers takes a fraction of the
 * memory of a set of strings. Two different pairs of one passage and question rarely collide,
 * and a collision only adds a little to one passage's score.
 */
export function stemPairKey(a: string, b: string): number {
  let hash = 0x811c9dc5;
  const text = `${a} ${b}`;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
